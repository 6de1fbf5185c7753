/*
 * udp_pool.h - how many of a UDP socket's receivers listen at a time.
 *
 * Every receiver blocked in recvfrom() on a socket is a sleeper the kernel
 * wakes for the next datagram.  When one receiver keeps up with the load,
 * a second one asleep on the same socket only costs: the two datagrams of
 * a burst (a 180 and its 200, an ACK and the BYE behind it) wake two
 * processes instead of one, and each wake-up is a context switch.  At
 * 1000 calls/s that is a sixth of a stateful call's CPU.
 *
 * So the receivers of a socket form a pool in shared memory: receivers
 * 0..active-1 listen, the others are parked on a futex (the `active` word)
 * and cost nothing.  The pool adapts:
 *
 *   grow   the highest listening receiver was busy (between a datagram's
 *          arrival and the end of its processing) for more than
 *          UDP_POOL_GROW_PCT of a window of UDP_POOL_WINDOW_MS: one more
 *          receiver listens.  A window ends at the first arrival or end
 *          of processing after UDP_POOL_WINDOW_MS, so idle time before a
 *          burst ends a window of its own and does not dilute the burst.
 *   park   the highest listening receiver, not the first, was busy less
 *          than UDP_POOL_PARK_PCT of its window: it parks itself.  The
 *          gap between the two thresholds keeps the pool from flapping
 *          (two receivers sharing a load that one would carry at less than
 *          the grow threshold each see less than half of it).
 *   stall  a receiver blocked in its work (a DNS lookup, a lock) does not
 *          finish its window, so the timer process looks every
 *          UDP_POOL_WINDOW_MS: when every listening receiver has been busy
 *          with one datagram for longer than UDP_POOL_STALL_MS, one more
 *          receiver listens.
 *
 * Only a receiver parks itself, only the highest listening one, and only
 * by a compare-and-swap of active from its index + 1 to its index; growing
 * is a compare-and-swap of active upwards followed by a futex wake of the
 * parked receivers (each checks its index against the new value).  The
 * first receiver never parks, so a socket is never without a listener.
 *
 * `adaptive_receivers = no` in the script keeps every receiver listening
 * (the pool starts and stays full).  The statistic core:udp_receivers
 * shows how many receivers listen now, over all sockets.
 */
#ifndef SERVAL_CORE_UDP_POOL_H
#define SERVAL_CORE_UDP_POOL_H

#include <stdint.h>

#define UDP_POOL_WINDOW_MS 20
#define UDP_POOL_GROW_PCT  50
#define UDP_POOL_PARK_PCT  20
#define UDP_POOL_STALL_MS  20

struct udp_pool;

enum udp_pool_verdict {
	UDP_POOL_STAY = 0,
	UDP_POOL_GROW,
	UDP_POOL_PARK,
};

/*
 * The policy, a pure function: what receiver `index` (0-based) of a pool
 * of `size` receivers, `active` of them listening, should do after a window
 * of window_ns in which it was busy busy_ns.
 */
enum udp_pool_verdict udp_pool_verdict(int index, int active, int size,
                                       uint64_t busy_ns, uint64_t window_ns);

/*
 * Allocates the pools of nsockets sockets, size receivers each, in shared
 * memory; all listen unless adaptive (then one each; a pool of one
 * receiver has nothing to adapt and does no per-datagram accounting).
 * Registers the statistic core:udp_receivers and, when adaptive, arms the
 * stall check on the timer.
 * Master only, after shm, timer and statistics exist, before fork.
 * Returns SV_OK or SV_ENOMEM.
 */
int udp_pools_init(int nsockets, int size, int adaptive);

/* The pool of socket number sock (0-based, UDP sockets in listen order). */
struct udp_pool *udp_pool_get(int sock);

/*
 * Blocks receiver index while it is not allowed to listen: returns at once
 * when it is, else after a wake-up or a signal (the caller re-checks its
 * stop flag and calls again).  Returns 1 when index may listen now.
 */
int udp_pool_wait_turn(struct udp_pool *p, int index);

/*
 * Per-datagram accounting of one receiver, in its own process (no lock).
 * udp_pool_busy() when a datagram arrived; udp_pool_idle() when its
 * processing ended, which may grow the pool or park this receiver (it
 * then waits in udp_pool_wait_turn() on its next round).
 */
struct udp_pool_self {
	struct udp_pool *pool;
	int index;
	uint64_t window_start_ns;
	uint64_t busy_start_ns;
	uint64_t busy_ns;
};

void udp_pool_self_init(struct udp_pool_self *s, struct udp_pool *p, int index);
void udp_pool_busy(struct udp_pool_self *s);
void udp_pool_idle(struct udp_pool_self *s);

/* Receivers listening now over all pools (the statistic's value). */
long udp_pools_listening(void);

#endif /* SERVAL_CORE_UDP_POOL_H */
