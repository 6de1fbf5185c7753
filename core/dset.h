/*
 * dset.h - the destination set: the branches a request is forked to.
 *
 * A request is sent to its Request-URI (the "R-URI branch", branch 0 of
 * the script's setbflag(idx, flag)) plus every branch appended by the
 * script (append_branch) or a module (registrar's lookup).  Each appended
 * branch has its own URI, destination URI (next hop), q value, branch
 * flags and forced send socket.  tm walks the set with dset_branch() to
 * create its UAC branches; $ds, $br and $bR read it.
 *
 * At most DSET_MAX_BRANCHES branches in total, the R-URI included (OpenSER
 * 1.2's MAX_BRANCHES), so DSET_MAX_BRANCHES - 1 can be appended.
 *
 * Storage: a static array per process (nothing is allocated; URIs are
 * copied into fixed slots of DSET_MAX_URI bytes).  The set belongs to the
 * message being handled: receive.c clears it after every message
 * (dset_clear), and tm clears it once it created its branches.
 *
 * q values are integers 0..1000 (q=0.5 is 500); DSET_Q_UNSPECIFIED when
 * none was given.  The R-URI branch has its own q (dset_set_ruri_q).
 */
#ifndef SERVAL_CORE_DSET_H
#define SERVAL_CORE_DSET_H

#include "str.h"

struct sip_msg;
struct socket_info;

#define DSET_MAX_BRANCHES  12
#define DSET_MAX_URI       1024
#define DSET_Q_UNSPECIFIED -1
#define DSET_Q_MAX         1000

struct dset_branch {
	char uri_buf[DSET_MAX_URI];
	char dst_buf[DSET_MAX_URI];
	str uri;     /* into uri_buf */
	str dst_uri; /* into dst_buf; len 0 when none */
	int q;
	unsigned int flags; /* branch flags */
	struct socket_info *force_send_socket;
};

/*
 * Appends a branch.  uri is required; dst_uri may be NULL or empty.
 * Returns SV_OK; SV_ETOOMANY when the set is full; SV_ETOOBIG when a URI
 * is longer than DSET_MAX_URI; SV_EQVALUE for q outside 0..1000 (other
 * than DSET_Q_UNSPECIFIED).  Nothing is changed on error.
 */
int dset_append(const str *uri, const str *dst_uri, int q, unsigned int flags,
                struct socket_info *sock);

/*
 * Appends the current R-URI of msg as a branch, with its destination URI,
 * q, branch flags (msg->ruri_bflags) and forced socket (append_branch()
 * without arguments).  Returns as dset_append().
 */
int dset_append_ruri(struct sip_msg *msg);

/* Returns appended branch idx (0 = first appended), or NULL. */
struct dset_branch *dset_branch(int idx);

/* Number of appended branches. */
int dset_count(void);

/* Replaces the URI of branch idx.  SV_OK, SV_ENOTFOUND, SV_ETOOBIG. */
int dset_set_uri(int idx, const str *uri);

/* Empties the set and forgets the R-URI's q. */
void dset_clear(void);

/* The q value of the R-URI branch. */
void dset_set_ruri_q(int q);
int dset_get_ruri_q(void);

/*
 * Prints q (0..1000) as "0.5", "1", "0.25" into buf (at least 6 bytes);
 * returns the length.
 */
int dset_print_q(int q, char *buf);

/*
 * Prints the whole set as a Contact value list, the R-URI first:
 * "<sip:a@x>;q=0.5, <sip:b@y>" (OpenSER's print_dset without the header
 * name).  Returns the length, 0 when there is no appended branch (the set
 * is then just the R-URI, which routing does not fork), or SV_ETOOBIG.
 */
int dset_print(struct sip_msg *msg, char *buf, int size);

#endif /* SERVAL_CORE_DSET_H */
