/*
 * aio.h: the AioContext interface lives in block/aio.h (QEMU's spelling);
 * this name is the one Machina's layout lists.
 */
#ifndef QEMU_AIO_H
#define QEMU_AIO_H

#include "block/aio.h"

#endif /* QEMU_AIO_H */
