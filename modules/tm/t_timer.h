/*
 * t_timer.h - tm's timers: what is timed, who arms it, what its handler
 * does.  All deadlines are absolute CLOCK_MONOTONIC milliseconds in the
 * shared wheel (timer/timer.h); the links are embedded in the cell and its
 * branches, so arming never allocates.
 *
 *   link          process     armed when                   handler
 *   br.retr_tl    timer       a UDP request or our CANCEL  resends it: INVITE
 *                             is sent                      T1, 2T1, 4T1 ...
 *                                                          (no cap, Timer A);
 *                                                          others and CANCEL
 *                                                          T1 doubling to T2,
 *                                                          T2 after a 1xx
 *   br.fr_tl      timer slow  the request is sent          fr_timer (Timer
 *                             (fr_timer); a 1xx on an      B/F) or fr_inv_timer
 *                             INVITE (fr_inv_timer)        (Timer C): internal
 *                                                          408 (487 when
 *                                                          cancelled), see
 *                                                          noisy_ctimer
 *   uas.tl        timer       a final INVITE reply is      resends it T1 ...
 *                             sent upstream and an ACK     T2 until the ACK;
 *                             must come (negative, or      after fr_timer
 *                             our own 2xx)                 (Timer H) gives up
 *   wait_tl       timer       the transaction ends         unlinks the cell
 *                             (wt_timer)                   once; then re-checks
 *                                                          it every
 *                                                          delete_timer while
 *                                                          others still use it
 *
 * The fr link is TIMER_SLOW so that, when a failure route runs on timeout
 * (t_routes.h: from tm_after_run() at the end of the handler, with no lock
 * held), it runs in the timer slow process and never delays
 * retransmissions or the wait timer.
 *
 * References: an armed link holds one reference to the cell.  Whether it
 * holds one is a bit (TB_RETR_REF, TB_FR_REF, T_UAS_REF, T_WAIT_REF) that
 * changes under the reply lock: set when a link is armed from not holding
 * one; cleared by a successful disarm (timer_disarm() == SV_OK: the caller
 * drops the reference) or by the handler at its end unless the link was
 * armed again meanwhile (then the reference carries over).  A disarm that
 * finds the handler running (SV_EBUSY) leaves the bit: the handler drops
 * it.  Handlers check the state under the reply lock before acting, so a
 * handler that lost the race against a reply does nothing.  The timer code
 * may still report a handler as running for a moment after it returned; a
 * stop in that moment leaves the reference on the (idle) link, and the
 * next stop finds the link not armed (SV_ENOTFOUND) and gives it back.
 * The wait timer stops every link again at each of its checks, so no such
 * reference outlives the cell's unlinking by more than delete_timer.
 *
 * Every function here except the handlers expects the cell's reply lock
 * held and records the references to drop in a struct tm_after.
 */
#ifndef SERVAL_MODULES_TM_T_TIMER_H
#define SERVAL_MODULES_TM_T_TIMER_H

#include <stdint.h>

#include "h_table.h"
#include "tm_cfg.h"

struct tm_after;

/* t's fr_timer and fr_inv_timer in ms: its AVP values, else the params. */
static inline unsigned long tm_t_fr_ms(const struct cell *t)
{
	return t->fr_ms ? t->fr_ms : tm_fr_ms();
}

static inline unsigned long tm_t_fr_inv_ms(const struct cell *t)
{
	return t->fr_inv_ms ? t->fr_inv_ms : tm_fr_inv_ms();
}

/*
 * Now in ms: inside a timer handler the time its timer was found due
 * (intervals armed there count from it), elsewhere timer_now_ms().
 */
uint64_t tm_now(void);

/*
 * The long timers (fr_timer, fr_inv_timer, wt_timer, delete_timer) expire
 * on boundaries of this many milliseconds, never early and at most that
 * much late, so the timer process wakes up at most 1000/TM_GRANULE_MS
 * times a second for them however many transactions there are (a timer
 * of its own for each would wake it every millisecond under load).
 * Retransmission timers keep their exact intervals.  Tests set 1.
 */
#define TM_GRANULE_MS 100
extern unsigned tm_granule_ms;

/* The clock outside handlers: timer_now_ms(); tests drive a virtual one. */
extern uint64_t (*tm_clock)(void);

/* Handlers (h_table.c gives them to the links). */
void tm_retr_timer(struct timer_link *tl, uint64_t now);
void tm_fr_timer(struct timer_link *tl, uint64_t now);
void tm_uas_timer(struct timer_link *tl, uint64_t now);
void tm_wait_timer(struct timer_link *tl, uint64_t now);

/* Arms b's retransmission timer ms from now (refused once unlinked). */
void tm_arm_retr(struct tm_branch *b, uint32_t ms);

/* Arms b's fr timer ms from now. */
void tm_arm_fr(struct tm_branch *b, unsigned long ms);

/* Stop b's retransmission / fr timer. */
void tm_stop_retr(struct tm_branch *b, struct tm_after *a);
void tm_stop_fr(struct tm_branch *b, struct tm_after *a);

/*
 * Starts resending the final reply in t->uas.buf until its ACK: first
 * after T1, giving up fr_timer from now.
 */
void tm_start_uas_retr(struct cell *t);

/* Stops that. */
void tm_stop_uas_retr(struct cell *t, struct tm_after *a);

/*
 * Terminates t: stops every branch timer and the reply retransmission and
 * arms the wait timer (wt_timer), once; later calls do nothing.  A CANCEL
 * may still be sent (and resent) on a branch while t waits.
 */
void tm_put_on_wait(struct cell *t, struct tm_after *a);

#endif /* SERVAL_MODULES_TM_T_TIMER_H */
