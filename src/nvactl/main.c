/* main.c: nvactl, the control client of nvad. Dispatches to a subcommand;
 * today `decode`, the offline BGP message decoder. */
#include <stdio.h>
#include <string.h>

#include "nvactl.h"

static void usage(FILE *f)
{
	fputs("usage: nvactl COMMAND [ARGS]\n"
	      "commands:\n"
	      "  decode [--json] [--update-body] [--as2] [--ibgp] [--ext-msg] [HEX...]\n"
	      "         decode BGP messages given as hex (arguments, or standard input)\n"
	      "  help   this text\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "decode") == 0)
		return nvactl_decode(argc - 2, argv + 2);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "nvactl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
