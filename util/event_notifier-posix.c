/*
 * EventNotifier on Linux eventfd (qemu/event_notifier.h).
 */
#include "qemu/osdep.h"
#include "qemu/event_notifier.h"
#include "qemu/main-loop.h"
#include "block/aio.h"
#include <sys/eventfd.h>

int event_notifier_init(EventNotifier *e, int active)
{
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

    if (fd < 0) {
        return -errno;
    }
    e->rfd = e->wfd = fd;
    e->initialized = true;
    if (active) {
        event_notifier_set(e);
    }
    return 0;
}

void event_notifier_cleanup(EventNotifier *e)
{
    if (!e->initialized) {
        return;
    }
    close(e->rfd);
    e->rfd = e->wfd = -1;
    e->initialized = false;
}

int event_notifier_get_fd(const EventNotifier *e)
{
    return e->rfd;
}

int event_notifier_set(EventNotifier *e)
{
    static const uint64_t one = 1;
    ssize_t ret;

    do {
        ret = write(e->wfd, &one, sizeof(one));
    } while (ret < 0 && errno == EINTR);

    /* EAGAIN: the counter is about to overflow, so it is set already. */
    if (ret < 0 && errno != EAGAIN) {
        return -errno;
    }
    return 0;
}

bool event_notifier_test_and_clear(EventNotifier *e)
{
    uint64_t value;
    ssize_t ret;

    do {
        ret = read(e->rfd, &value, sizeof(value));
    } while (ret < 0 && errno == EINTR);
    return ret == sizeof(value) && value > 0;
}

void event_notifier_set_handler(EventNotifier *e,
                                EventNotifierHandler *handler)
{
    aio_set_event_notifier(iohandler_get_aio_context(), e, handler,
                           NULL, NULL);
}
