/* nvactl.h: the subcommands of nvactl, each a function taking the arguments
 * after its name and returning the process exit status. */
#ifndef NVAD_NVACTL_H
#define NVAD_NVACTL_H

int nvactl_decode(int argc, char **argv);

#endif
