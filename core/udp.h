/*
 * udp.h - UDP receivers and the send helper.
 *
 * Each UDP listen socket gets udp_children receiver processes, all blocking
 * in recvfrom() on the same descriptor (the kernel hands each datagram to
 * one of them).  A receiver reads into a 64 KiB buffer, fills a
 * receive_info and calls receive_msg().  udp_send() is the one function
 * that puts a UDP datagram on the wire.
 */
#ifndef SERVAL_CORE_UDP_H
#define SERVAL_CORE_UDP_H

#include "ip_addr.h"

#define UDP_BUF_SIZE 65536
#define UDP_DEFAULT_CHILDREN 8

/* Sets how many receivers each UDP socket gets (master, before fork). */
void udp_set_children(int n);

/* Returns the receivers per UDP socket. */
int udp_get_children(void);

/*
 * fork=no: a single receiver in all, for the first UDP socket (rank 1);
 * the other sockets are only sent from.  Master, before fork.
 */
void udp_set_single_receiver(void);

/*
 * Registers the "udp receiver" process type (children x UDP sockets).
 * Master only, before proc_table_init().  Returns SV_OK or SV_ENOMEM.
 */
int udp_register_processes(void);

/*
 * Receives and dispatches datagrams from the socket of the given rank
 * until proc_stop is set.  Runs in a receiver process (also used by the
 * single receiver of fork=no mode, rank 1).
 */
void udp_receiver_main(int rank, void *arg);

/*
 * Sends buf to dst->to from dst->send_sock (or the first UDP socket of the
 * right address family when NULL).  Returns SV_OK, SV_EBADADDR when there is
 * no socket for the family, SV_ESEND when the kernel refused (logged).
 */
int udp_send(const struct dest_info *dst, const char *buf, int len);

#endif /* SERVAL_CORE_UDP_H */
