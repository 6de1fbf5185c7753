/*
 * udp.c - UDP receive loop and send helper (see udp.h).
 *
 * Receiver rank r serves socket (r - 1) / udp_children of the UDP sockets in
 * listen order, so rank numbering is one counter across sockets, as in
 * OpenSER.  Receivers beyond those a socket's load needs stay parked
 * (udp_pool.h).  The receive buffer is static per process, one byte larger than
 * the largest datagram so the parser may rely on a NUL after the data.
 */
#include "udp.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "proc.h"
#include "receive.h"
#include "socket.h"
#include "udp_pool.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int udp_children = UDP_DEFAULT_CHILDREN;
static int single_receiver; /* fork=no */
static char rcv_buf[UDP_BUF_SIZE + 1];

void udp_set_children(int n)
{
	if (n > 0)
		udp_children = n;
}

int udp_get_children(void)
{
	return udp_children;
}

void udp_set_single_receiver(void)
{
	single_receiver = 1;
	udp_children = 1;
}

/* The UDP socket served by receiver rank (1-based). */
static struct socket_info *udp_socket_of_rank(int rank)
{
	struct socket_info *si;
	int idx = (rank - 1) / udp_children;

	for (si = listen_list; si; si = si->next)
		if (si->proto == PROTO_UDP && idx-- == 0)
			return si;
	return NULL;
}

static int udp_count(void *arg)
{
	if (single_receiver)
		return sockets_udp_count() ? 1 : 0;
	return udp_children * sockets_udp_count();
}

static void udp_desc(char *buf, int size, int rank, void *arg)
{
	struct socket_info *si = udp_socket_of_rank(rank);

	snprintf(buf, size, "udp receiver #%d %.*s", rank,
	         si ? si->name.len : 0, si ? si->name.s : "");
}

int udp_register_processes(void)
{
	static const struct proc_type udp_type = {
		.role = ROLE_UDP_RECEIVER,
		.count = udp_count,
		.desc = udp_desc,
		.run = udp_receiver_main,
	};

	int n = sockets_udp_count();

	if (single_receiver && n > 1)
		n = 1;
	if (udp_pools_init(n, udp_children, core_cfg.adaptive_receivers) !=
	    SV_OK)
		return SV_ENOMEM;
	return proc_register(&udp_type);
}

/* Fills the receive_info of one datagram. */
static void fill_rcv_info(struct receive_info *ri, struct socket_info *si,
                          const union sockaddr_union *from)
{
	ri->src_su = *from;
	su_to_ip(from, &ri->src_ip, &ri->src_port);
	ri->dst_ip = si->address;
	ri->dst_port = si->port;
	ri->proto = PROTO_UDP;
	ri->bind_address = si;
}

void udp_receiver_main(int rank, void *arg)
{
	struct socket_info *si = udp_socket_of_rank(rank);
	struct udp_pool_self self;
	struct receive_info ri;
	union sockaddr_union from;
	socklen_t from_len;
	ssize_t n;

	if (si == NULL) {
		LM_CRIT("no UDP socket for receiver rank %d\n", rank);
		return;
	}
	udp_pool_self_init(&self, udp_pool_get((rank - 1) / udp_children),
	                   (rank - 1) % udp_children);
	while (!proc_stop) {
		if (!udp_pool_wait_turn(self.pool, self.index))
			continue;
		from_len = sizeof(from);
		n = recvfrom(si->fd, rcv_buf, UDP_BUF_SIZE, 0, &from.s,
		             &from_len);
		if (n < 0) {
			if (errno != EINTR && errno != EAGAIN)
				LM_ERR("recvfrom on %.*s: %s\n",
				       STR_FMT(&si->name), strerror(errno));
			continue;
		}
		udp_pool_busy(&self);
		rcv_buf[n] = '\0';
		fill_rcv_info(&ri, si, &from);
		receive_msg(rcv_buf, (int)n, &ri);
		udp_pool_idle(&self);
	}
}

int udp_send(const struct dest_info *dst, const char *buf, int len)
{
	struct socket_info *si = dst->send_sock;
	ssize_t n;

	if (si == NULL)
		si = socket_for_dest(PROTO_UDP, &dst->to);
	if (si == NULL || si->fd < 0) {
		LM_ERR("no UDP socket to send to address family %d\n",
		       dst->to.s.sa_family);
		return SV_EBADADDR;
	}
	do {
		n = sendto(si->fd, buf, (size_t)len, 0, &dst->to.s,
		           su_len(&dst->to));
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		LM_ERR("sendto from %.*s failed: %s\n", STR_FMT(&si->name),
		       strerror(errno));
		return SV_ESEND;
	}
	return SV_OK;
}
