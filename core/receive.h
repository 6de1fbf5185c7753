/*
 * receive.h - the entry point for every received SIP message.
 *
 * A transport (udp.c) calls receive_msg() with the datagram and where it
 * came from; receive_msg() parses it, runs the routing script for requests
 * or hands replies to the modules and the stateless reply relay.  The
 * buffer belongs to the transport and stays valid (and is followed by a NUL
 * byte) for the duration of the call.
 */
#ifndef SERVAL_CORE_RECEIVE_H
#define SERVAL_CORE_RECEIVE_H

#include "ip_addr.h"

/*
 * Processes one message.  Returns SV_OK when it was handled or dropped on
 * purpose, an error code when it could not be processed (already logged
 * and counted).
 */
int receive_msg(char *buf, int len, struct receive_info *ri);

#endif /* SERVAL_CORE_RECEIVE_H */
