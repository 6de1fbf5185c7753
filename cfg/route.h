/*
 * route.h - the script's route table: definition, lookup, naming.
 *
 * Routes are identified by (type, name).  The main route of a type is
 * named "0" (route {} and route[0] {} are the same route, as in OpenSER);
 * numbered routes are named by their decimal number, so route[01] and
 * t_on_failure("1") meet; named routes (route[relay]) keep their name.
 */
#ifndef SERVAL_CFG_ROUTE_H
#define SERVAL_CFG_ROUTE_H

#include "ast.h"

/*
 * Returns the route of type (one of REQUEST_ROUTE ... ERROR_ROUTE) named
 * name, or NULL.  The pointer stays valid until cfg_free(s).
 */
struct cfg_route *cfg_route_lookup(const struct cfg_script *s, int type,
                                   const char *name);

/*
 * Adds a route (name copied into the arena) at the end of the list.
 * Returns the new route, or NULL when out of memory (reported).  The
 * caller has checked for duplicates.
 */
struct cfg_route *cfg_route_add(struct cfg_script *s, int type,
                                const char *name, const struct cfg_pos *pos);

#endif /* SERVAL_CFG_ROUTE_H */
