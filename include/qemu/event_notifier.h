/*
 * event_notifier.h: a wake-up flag that can be polled, on Linux eventfd.
 *
 * One side calls event_notifier_set() (any thread, also from a signal
 * handler: it is a single write()); the other polls
 * event_notifier_get_fd() for readability and calls
 * event_notifier_test_and_clear().  Several sets before a clear are seen
 * as one.
 */
#ifndef QEMU_EVENT_NOTIFIER_H
#define QEMU_EVENT_NOTIFIER_H

typedef struct EventNotifier {
    int rfd;
    int wfd;                    /* same as rfd for an eventfd */
    bool initialized;
} EventNotifier;

typedef void EventNotifierHandler(EventNotifier *e);

/*
 * Create the eventfd (non-blocking, close-on-exec), already set if
 * @active.  Returns 0 or a negative errno.
 */
int event_notifier_init(EventNotifier *e, int active);
void event_notifier_cleanup(EventNotifier *e);
/* Returns 0 or a negative errno; an overflowing counter counts as set. */
int event_notifier_set(EventNotifier *e);
/* Clear the notifier; returns true if it was set. */
bool event_notifier_test_and_clear(EventNotifier *e);
int event_notifier_get_fd(const EventNotifier *e);

/*
 * Call @handler in the main loop, with the big lock held, whenever @e is
 * set (level-triggered: the handler must clear it).  NULL unregisters.
 * Caller holds the big lock.
 */
void event_notifier_set_handler(EventNotifier *e,
                                EventNotifierHandler *handler);

#endif /* QEMU_EVENT_NOTIFIER_H */
