/* fsm.h: the BGP finite state machine of RFC 4271 section 8, as a pure table.
 *
 * bgp_fsm_step() maps (state, event) to the next state and the actions the
 * session layer must carry out (send, close, arm timers, bring routes up or
 * down). It owns no sockets and no clock; src/nvad/session.c does the I/O. */
#ifndef NVAD_BGP_FSM_H
#define NVAD_BGP_FSM_H

#include <stdint.h>

enum bgp_state {
	BGP_ST_IDLE,
	BGP_ST_CONNECT,
	BGP_ST_ACTIVE,
	BGP_ST_OPENSENT,
	BGP_ST_OPENCONFIRM,
	BGP_ST_ESTABLISHED,
	BGP_ST_COUNT,
};

/* Events, named after RFC 4271 8.1 (numbers in comments). */
enum bgp_event {
	BGP_EV_START,             /* 1/3 ManualStart, AutomaticStart */
	BGP_EV_START_PASSIVE,     /* 4/5 ...with PassiveTcpEstablishment */
	BGP_EV_STOP,              /* 2 ManualStop (shutdown, deconfig) */
	BGP_EV_CONNECT_RETRY,     /* 9 ConnectRetryTimer_Expires */
	BGP_EV_HOLD_EXPIRED,      /* 10 HoldTimer_Expires */
	BGP_EV_KEEPALIVE_TIMER,   /* 11 KeepaliveTimer_Expires */
	BGP_EV_TCP_CONNECTED,     /* 16/17 Tcp_CR_Acked, TcpConnectionConfirmed */
	BGP_EV_TCP_FAILED,        /* 18 TcpConnectionFails */
	BGP_EV_OPEN,              /* 19 BGPOpen (valid) */
	BGP_EV_MSG_ERROR,         /* 21/22 BGPHeaderErr, BGPOpenMsgErr */
	BGP_EV_COLLISION_DUMP,    /* 23 OpenCollisionDump */
	BGP_EV_NOTIFICATION,      /* 24/25 NotifMsgVerErr, NotifMsg */
	BGP_EV_KEEPALIVE,         /* 26 KeepAliveMsg */
	BGP_EV_UPDATE,            /* 27 UpdateMsg (also ROUTE-REFRESH) */
	BGP_EV_UPDATE_ERROR,      /* 28 UpdateMsgErr calling for a reset */
	BGP_EV_COUNT,
};

/* What the session layer does on a transition, in this order: timers,
 * sends, close, route work. */
enum bgp_fsm_action {
	BGP_FA_CONNECT = 1u << 0,           /* open a TCP connection to the peer */
	BGP_FA_CLOSE = 1u << 1,             /* close the TCP connection */
	BGP_FA_SEND_OPEN = 1u << 2,
	BGP_FA_SEND_KEEPALIVE = 1u << 3,
	BGP_FA_SEND_NOTIFY = 1u << 4,       /* with the code/subcode of the step */
	BGP_FA_CONNECT_RETRY_START = 1u << 5,
	BGP_FA_CONNECT_RETRY_STOP = 1u << 6,
	BGP_FA_HOLD_START_LARGE = 1u << 7,  /* 4 minutes, while OPEN is awaited */
	BGP_FA_HOLD_START = 1u << 8,        /* the negotiated hold time (if not 0) */
	BGP_FA_KEEPALIVE_START = 1u << 9,   /* a third of the hold time */
	BGP_FA_TIMERS_STOP = 1u << 10,      /* all session timers */
	BGP_FA_UP = 1u << 11,               /* entering Established: send the table */
	BGP_FA_DOWN = 1u << 12,             /* leaving Established: drop its routes */
	BGP_FA_PROCESS = 1u << 13,          /* hand the message to the RIB */
	BGP_FA_RETRY_COUNT = 1u << 14,      /* ConnectRetryCounter + 1 (backoff) */
};

struct bgp_fsm_step {
	uint8_t next;     /* enum bgp_state */
	uint32_t actions; /* enum bgp_fsm_action */
	uint8_t code;     /* NOTIFICATION, with BGP_FA_SEND_NOTIFY */
	uint8_t subcode;
};

/* The transition for an event in a state. Events that carry their own
 * NOTIFICATION (a message error) leave code 0: the caller sends its own. */
struct bgp_fsm_step bgp_fsm_step(uint8_t state, uint8_t event);

const char *bgp_state_name(uint8_t state);  /* "Idle", "Connect", ... as FRR */
const char *bgp_event_name(uint8_t event);

#endif
