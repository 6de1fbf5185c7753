/*
 * tm_cfg.h - the tm module parameters (modparam("tm", ...)).
 *
 * One struct, tm_cfg, holds every parameter with OpenSER's default.  The
 * values are written by modparam in the master while the script is read,
 * checked once by tm_cfg_check() in mod_init, and only read afterwards (all
 * processes inherit the same copy when the master forks).  Units are the
 * seed's: seconds for fr_timer, fr_inv_timer, wt_timer and delete_timer;
 * milliseconds for T1_timer and T2_timer.
 */
#ifndef SERVAL_MODULES_TM_TM_CFG_H
#define SERVAL_MODULES_TM_TM_CFG_H

struct tm_config {
	int fr_timer;     /* s: no final reply (or no ACK of a negative one) */
	int fr_inv_timer; /* s: INVITE branch after a provisional reply */
	int wt_timer;     /* s: a completed transaction absorbs late messages */
	int delete_timer; /* s: re-check of an unlinked, still used cell */
	int t1;           /* ms: first retransmission interval */
	int t2;           /* ms: longest non-INVITE retransmission interval */
	int noisy_ctimer; /* 1: fr_inv expiry answers 408 at once */
	int ruri_matching;    /* pre-3261 matching compares the Request-URI */
	int via1_matching;    /* pre-3261 matching compares the top Via */
	int restart_fr;       /* restart_fr_on_each_reply */
	int enable_stats;     /* export the tm: statistics */
	int syn_branch;       /* 1: label in our Via branch; 0: an MD5 */
	int onreply_avp_mode; /* 1: onreply routes see the transaction's AVPs */
	int pass_prov;        /* pass_provisional_replies (local UAC only) */
	char *fr_timer_avp;   /* "$avp(i:24)", NULL or "": not used */
	char *fr_inv_timer_avp;
	int unix_tx_timeout; /* s: t_write_req/t_write_unix wait at most */
};

extern struct tm_config tm_cfg;

/*
 * Checks the values (timers positive, T2 >= T1, flags 0 or 1) and logs
 * what is wrong.  Returns SV_OK or SV_EINVAL.  Master, in mod_init.
 */
int tm_cfg_check(void);

/* The intervals in milliseconds, as the timer code uses them. */
static inline unsigned long tm_fr_ms(void)
{
	return (unsigned long)tm_cfg.fr_timer * 1000ul;
}

static inline unsigned long tm_fr_inv_ms(void)
{
	return (unsigned long)tm_cfg.fr_inv_timer * 1000ul;
}

static inline unsigned long tm_wt_ms(void)
{
	return (unsigned long)tm_cfg.wt_timer * 1000ul;
}

static inline unsigned long tm_delete_ms(void)
{
	return (unsigned long)tm_cfg.delete_timer * 1000ul;
}

#endif /* SERVAL_MODULES_TM_TM_CFG_H */
