/*
 * interp.h - running the routing script: what the receive path, tm and
 * modules call.
 *
 * The interpreter walks the tree cfg/ast.h describes, read-only, in every
 * worker.  Semantics are OpenSER 1.2/1.3's:
 *
 *   - every function returns an int: > 0 true, < 0 false, 0 stops the
 *     whole script (as `exit` does); a route(n) or return(0) giving 0 stops
 *     it too;
 *   - `exit` stops the script, `drop` stops it and marks the message
 *     dropped (tm discards the branch in a branch_route, the core discards
 *     a provisional reply in onreply_route);
 *   - `return(n)` leaves the current route with n (a bare `return` gives
 *     1); falling off the end of a route gives the value of the last
 *     statement run (1 for an empty route); $rc/$retcode hold the value of
 *     the last function, route or return;
 *   - route(n) nests up to INTERP_MAX_DEPTH deep, then the script stops
 *     with an error (a runaway recursion must not fork exponentially);
 *   - while loops run at most core_cfg.max_while_loops iterations, then
 *     the loop is left with a warning;
 *   - `break` leaves the innermost switch (and any while inside it).
 *
 * Route context: each run_route() pushes a frame (route type, message,
 * flags, the caller's script flags) on a per-process stack and pops it
 * when it returns, whatever happened inside - a nested run (tm runs a
 * branch_route from t_relay inside the request route) cannot leave the
 * outer route with the wrong type, which OpenSER's single global did
 * (opensips#365).  Script flags start at 0 in every run_route() and the
 * outer route's are restored when a nested one ends.
 *
 * Errors found by functions: in a request route, when a function call
 * leaves msg->err set where it was clear when the route started (a header
 * that did not parse), the route stops and ROUTE_F_ERROR is reported, so
 * the receive path can run error_route.
 */
#ifndef SERVAL_CFG_INTERP_H
#define SERVAL_CFG_INTERP_H

struct sip_msg;
struct cfg_route;
struct cfg_script;

#define INTERP_MAX_DEPTH 100

/* What happened in the last finished run_route() (route_last_flags()). */
#define ROUTE_F_EXIT  0x01 /* exit, drop, or a 0 return stopped it */
#define ROUTE_F_DROP  0x02 /* `drop` was executed */
#define ROUTE_F_ERROR 0x04 /* stopped because a function set msg->err */

/*
 * Runs route (of the active script, or any fixed-up script) as a
 * top-level route of type (REQUEST_ROUTE ... ERROR_ROUTE) on msg.
 * Returns the route's value (> 0, < 0, or 0 when it was stopped by exit,
 * drop or a 0 return).  Afterwards route_last_flags() tells how it ended.
 * NULL route: returns 1 and does nothing (route_last_flags() is then 0).
 */
int run_route(int type, const struct cfg_route *route, struct sip_msg *msg);

/* ROUTE_F_* of the run_route() that finished last in this process. */
unsigned route_last_flags(void);

/* 1 when the last finished run_route() executed `drop`. */
static inline int route_dropped(void)
{
	return (route_last_flags() & ROUTE_F_DROP) != 0;
}

/*
 * The type of the route running now (the innermost run_route()), 0 when
 * no route runs.  Modules use it to behave per route type (sl inside a
 * failure_route ...).
 */
int route_type(void);

/*
 * The active script: the one receive.c runs (set by main after the fixup
 * pass, before forking).  NULL: no script, messages are dropped.
 */
void cfg_set_active(struct cfg_script *s);
struct cfg_script *cfg_active(void);

/*
 * The main route of type (route {}, onreply_route {}, error_route {}) of
 * the active script, or NULL: looked up once by cfg_set_active().
 */
const struct cfg_route *route_main(int type);

/*
 * Returns the route of type named name ("0" main, "1", "relay") in the
 * active script, or NULL.  Module fixups get route pointers from
 * fixup_route_ref() instead; this is for code that only has a name.
 */
const struct cfg_route *route_get(int type, const char *name);

#endif /* SERVAL_CFG_INTERP_H */
