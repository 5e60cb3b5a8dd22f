/* main.c: nvactl, the control client of nvad. `decode` runs here, offline;
 * every other command goes to the daemon over its control socket, and what
 * the daemon answers is printed. */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "lib/strbuf.h"
#include "nvactl.h"

static void usage(FILE *f)
{
	fputs("usage: nvactl [--socket PATH] COMMAND [ARGS] [json]\n"
	      "commands answered by nvad (FRR's words; `json` or --json for JSON):\n"
	      "  show ip bgp summary | show bgp ipv6 unicast summary\n"
	      "  show ip bgp [PREFIX] | show bgp ipv6 unicast [PREFIX]\n"
	      "  show ip bgp neighbors [X [advertised-routes|received-routes|routes]]\n"
	      "  show running-config\n"
	      "  clear ip bgp (*|X) [soft [in|out]]\n"
	      "  reload          re-read the configuration file (a failing file changes nothing)\n"
	      "  monitor         route and session events as JSON lines\n"
	      "offline:\n"
	      "  decode [--json] [--update-body] [--as2] [--ibgp] [--ext-msg] [HEX...]\n"
	      "         decode BGP messages given as hex (arguments, or standard input)\n"
	      "  help   this text\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *sock = CTL_DEFAULT_SOCKET;
	int i = 1;
	bool json = false;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
			sock = argv[++i];
		} else if (strncmp(argv[i], "--socket=", 9) == 0) {
			sock = argv[i] + 9;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "nvactl: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[i], "decode") == 0)
		return nvactl_decode(argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "help") == 0 || strcmp(argv[i], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	struct strbuf cmd = STRBUF_INIT;
	for (int k = i; k < argc; k++)
		strbuf_printf(&cmd, "%s%s", k > i ? " " : "", argv[k]);
	if (json)
		strbuf_puts(&cmd, " json");
	if (cmd.len >= CTL_MAX_REQUEST) {
		fprintf(stderr, "nvactl: command too long\n");
		strbuf_free(&cmd);
		return 2;
	}
	char err[256];
	int status = ctl_request(sock, strbuf_str(&cmd), stdout, err, sizeof(err));
	strbuf_free(&cmd);
	if (status < 0) {
		fprintf(stderr, "nvactl: %s\n", err);
		return 3;
	}
	return status;
}
