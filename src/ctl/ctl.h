/* ctl.h: the control protocol between nvad and its clients (nvactl, azlab),
 * over a UNIX stream socket.
 *
 * A request is one line of words ("show ip bgp summary json\n"). The answer
 * is a status line ("0\n" for success, "1\n" for an error the user caused,
 * "2\n" for an unknown command) followed by the output until the server
 * closes. `monitor` answers "0\n" and then streams JSON lines until the
 * client goes away. */
#ifndef NVAD_CTL_CTL_H
#define NVAD_CTL_CTL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/loop.h"
#include "lib/strbuf.h"

#define CTL_DEFAULT_SOCKET "/run/nvad/nvad.sock"
#define CTL_MAX_REQUEST 4096

enum ctl_status { CTL_OK = 0, CTL_ERROR = 1, CTL_UNKNOWN = 2 };

/* Client side: sends cmd, copies the output to out; returns the status, or -1
 * with a message in err when the daemon cannot be reached. */
int ctl_request(const char *path, const char *cmd, FILE *out, char *err, size_t errlen);

/* Server side. */
struct ctl_server;
struct ctl_client;

/* Handles one request: writes the output into out and returns a status; or
 * returns -1 after ctl_client_subscribe to keep the client for a stream. */
typedef int (*ctl_handler)(void *ctx, const char *cmd, struct strbuf *out, struct ctl_client *c);

/* Listens on path with the given mode (0600: root only); a stale socket file
 * is replaced. NULL with errno on failure. */
struct ctl_server *ctl_server_open(struct loop *loop, const char *path, mode_t mode,
				   ctl_handler handler, void *ctx);
void ctl_server_close(struct ctl_server *s);

/* Keeps c open for ctl_broadcast lines (monitor). */
void ctl_client_subscribe(struct ctl_client *c);
/* Sends one line to every subscribed client; a client that cannot keep up is
 * dropped rather than buffered without bound. */
void ctl_broadcast(struct ctl_server *s, const char *line);
size_t ctl_subscribers(const struct ctl_server *s);

#endif
