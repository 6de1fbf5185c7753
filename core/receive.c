/*
 * receive.c - dispatch of received messages (see receive.h).
 *
 * Until a routing script is loaded, serval only receives: each message is
 * dropped with a debug line naming its source and first line.
 */
#include "receive.h"
#include "errors.h"
#include "log.h"

#include <string.h>

/* Length of the first line of buf (up to CR or LF), at most 80. */
static int first_line_len(const char *buf, int len)
{
	int i;

	for (i = 0; i < len && i < 80; i++)
		if (buf[i] == '\r' || buf[i] == '\n')
			break;
	return i;
}

int receive_msg(char *buf, int len, struct receive_info *ri)
{
	if (LOG_ENABLED(L_DBG)) {
		char ip[IP_ADDR_MAX_STR];

		ip_addr_print(&ri->src_ip, ip, sizeof(ip));
		LM_DBG("no routing script: dropping %d bytes from %s:%u: "
		       "%.*s\n", len, ip, ri->src_port,
		       first_line_len(buf, len), buf);
	}
	return SV_OK;
}
