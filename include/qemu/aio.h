/*
 * aio.h: the AioContext interface lives in block/aio.h (QEMU's spelling);
 * this name is the one Machina's layout lists.
 */
#include "block/aio.h"
