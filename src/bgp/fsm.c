/* fsm.c: the transition table of the BGP state machine (RFC 4271 8.2.2).
 * One row per (state, event); ANY rows catch the rest of a state's events.
 * The first matching row wins. */
#include "fsm.h"

#include "wire.h"

#define ANY 0xff

/* Leaving for Idle after a failure: what every error path shares. */
#define FAIL (BGP_FA_CLOSE | BGP_FA_TIMERS_STOP | BGP_FA_RETRY_COUNT)
#define NOTIFY BGP_FA_SEND_NOTIFY
#define TO_OPENSENT (BGP_FA_CONNECT_RETRY_STOP | BGP_FA_SEND_OPEN | BGP_FA_HOLD_START_LARGE)

struct row {
	uint8_t state, event, next;
	uint32_t actions;
	uint8_t code, subcode;
};

static const struct row rows[] = {
	/* Idle: only a start moves it; an incoming connection is refused. */
	{ BGP_ST_IDLE, BGP_EV_START, BGP_ST_CONNECT,
	  BGP_FA_CONNECT_RETRY_START | BGP_FA_CONNECT, 0, 0 },
	{ BGP_ST_IDLE, BGP_EV_START_PASSIVE, BGP_ST_ACTIVE, BGP_FA_CONNECT_RETRY_START, 0, 0 },
	{ BGP_ST_IDLE, BGP_EV_TCP_CONNECTED, BGP_ST_IDLE, BGP_FA_CLOSE, 0, 0 },
	{ BGP_ST_IDLE, ANY, BGP_ST_IDLE, 0, 0, 0 },

	/* Connect: our connection attempt is under way. */
	{ BGP_ST_CONNECT, BGP_EV_START, BGP_ST_CONNECT, 0, 0, 0 },
	{ BGP_ST_CONNECT, BGP_EV_START_PASSIVE, BGP_ST_CONNECT, 0, 0, 0 },
	{ BGP_ST_CONNECT, BGP_EV_STOP, BGP_ST_IDLE, BGP_FA_CLOSE | BGP_FA_TIMERS_STOP, 0, 0 },
	{ BGP_ST_CONNECT, BGP_EV_CONNECT_RETRY, BGP_ST_CONNECT,
	  BGP_FA_CLOSE | BGP_FA_CONNECT_RETRY_START | BGP_FA_CONNECT, 0, 0 },
	{ BGP_ST_CONNECT, BGP_EV_TCP_CONNECTED, BGP_ST_OPENSENT, TO_OPENSENT, 0, 0 },
	{ BGP_ST_CONNECT, BGP_EV_TCP_FAILED, BGP_ST_ACTIVE,
	  BGP_FA_CLOSE | BGP_FA_CONNECT_RETRY_START, 0, 0 },
	{ BGP_ST_CONNECT, ANY, BGP_ST_IDLE, FAIL, 0, 0 },

	/* Active: waiting for the peer to connect, or for the retry timer. */
	{ BGP_ST_ACTIVE, BGP_EV_START, BGP_ST_ACTIVE, 0, 0, 0 },
	{ BGP_ST_ACTIVE, BGP_EV_START_PASSIVE, BGP_ST_ACTIVE, 0, 0, 0 },
	{ BGP_ST_ACTIVE, BGP_EV_STOP, BGP_ST_IDLE, BGP_FA_CLOSE | BGP_FA_TIMERS_STOP, 0, 0 },
	{ BGP_ST_ACTIVE, BGP_EV_CONNECT_RETRY, BGP_ST_CONNECT,
	  BGP_FA_CONNECT_RETRY_START | BGP_FA_CONNECT, 0, 0 },
	{ BGP_ST_ACTIVE, BGP_EV_TCP_CONNECTED, BGP_ST_OPENSENT, TO_OPENSENT, 0, 0 },
	{ BGP_ST_ACTIVE, ANY, BGP_ST_IDLE, FAIL, 0, 0 },

	/* OpenSent: our OPEN is out, the peer's is awaited. */
	{ BGP_ST_OPENSENT, BGP_EV_START, BGP_ST_OPENSENT, 0, 0, 0 },
	/* A second connection is tracked by the session layer, not here. */
	{ BGP_ST_OPENSENT, BGP_EV_TCP_CONNECTED, BGP_ST_OPENSENT, 0, 0, 0 },
	{ BGP_ST_OPENSENT, BGP_EV_START_PASSIVE, BGP_ST_OPENSENT, 0, 0, 0 },
	{ BGP_ST_OPENSENT, BGP_EV_STOP, BGP_ST_IDLE, NOTIFY | BGP_FA_CLOSE | BGP_FA_TIMERS_STOP,
	  BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN },
	{ BGP_ST_OPENSENT, BGP_EV_HOLD_EXPIRED, BGP_ST_IDLE, NOTIFY | FAIL, BGP_ERR_HOLD_TIMER, 0 },
	{ BGP_ST_OPENSENT, BGP_EV_TCP_FAILED, BGP_ST_ACTIVE,
	  BGP_FA_CLOSE | BGP_FA_CONNECT_RETRY_START, 0, 0 },
	{ BGP_ST_OPENSENT, BGP_EV_OPEN, BGP_ST_OPENCONFIRM,
	  BGP_FA_CONNECT_RETRY_STOP | BGP_FA_SEND_KEEPALIVE | BGP_FA_KEEPALIVE_START |
		  BGP_FA_HOLD_START, 0, 0 },
	{ BGP_ST_OPENSENT, BGP_EV_MSG_ERROR, BGP_ST_IDLE, NOTIFY | FAIL, 0, 0 },
	{ BGP_ST_OPENSENT, BGP_EV_COLLISION_DUMP, BGP_ST_IDLE, NOTIFY | FAIL, BGP_ERR_CEASE,
	  BGP_CEASE_COLLISION },
	{ BGP_ST_OPENSENT, BGP_EV_NOTIFICATION, BGP_ST_IDLE, FAIL, 0, 0 },
	{ BGP_ST_OPENSENT, ANY, BGP_ST_IDLE, NOTIFY | FAIL, BGP_ERR_FSM, 1 },

	/* OpenConfirm: OPENs exchanged, the first KEEPALIVE is awaited. */
	{ BGP_ST_OPENCONFIRM, BGP_EV_START, BGP_ST_OPENCONFIRM, 0, 0, 0 },
	/* A second connection is tracked by the session layer, not here. */
	{ BGP_ST_OPENCONFIRM, BGP_EV_TCP_CONNECTED, BGP_ST_OPENCONFIRM, 0, 0, 0 },
	{ BGP_ST_OPENCONFIRM, BGP_EV_START_PASSIVE, BGP_ST_OPENCONFIRM, 0, 0, 0 },
	{ BGP_ST_OPENCONFIRM, BGP_EV_STOP, BGP_ST_IDLE, NOTIFY | BGP_FA_CLOSE | BGP_FA_TIMERS_STOP,
	  BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN },
	{ BGP_ST_OPENCONFIRM, BGP_EV_HOLD_EXPIRED, BGP_ST_IDLE, NOTIFY | FAIL, BGP_ERR_HOLD_TIMER,
	  0 },
	{ BGP_ST_OPENCONFIRM, BGP_EV_KEEPALIVE_TIMER, BGP_ST_OPENCONFIRM,
	  BGP_FA_SEND_KEEPALIVE | BGP_FA_KEEPALIVE_START, 0, 0 },
	{ BGP_ST_OPENCONFIRM, BGP_EV_TCP_FAILED, BGP_ST_IDLE, FAIL, 0, 0 },
	{ BGP_ST_OPENCONFIRM, BGP_EV_NOTIFICATION, BGP_ST_IDLE, FAIL, 0, 0 },
	{ BGP_ST_OPENCONFIRM, BGP_EV_COLLISION_DUMP, BGP_ST_IDLE, NOTIFY | FAIL, BGP_ERR_CEASE,
	  BGP_CEASE_COLLISION },
	{ BGP_ST_OPENCONFIRM, BGP_EV_KEEPALIVE, BGP_ST_ESTABLISHED,
	  BGP_FA_HOLD_START | BGP_FA_UP, 0, 0 },
	{ BGP_ST_OPENCONFIRM, BGP_EV_MSG_ERROR, BGP_ST_IDLE, NOTIFY | FAIL, 0, 0 },
	{ BGP_ST_OPENCONFIRM, ANY, BGP_ST_IDLE, NOTIFY | FAIL, BGP_ERR_FSM, 2 },

	/* Established: routes flow. */
	{ BGP_ST_ESTABLISHED, BGP_EV_START, BGP_ST_ESTABLISHED, 0, 0, 0 },
	/* A second connection is tracked by the session layer, not here. */
	{ BGP_ST_ESTABLISHED, BGP_EV_TCP_CONNECTED, BGP_ST_ESTABLISHED, 0, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_START_PASSIVE, BGP_ST_ESTABLISHED, 0, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_STOP, BGP_ST_IDLE,
	  NOTIFY | BGP_FA_CLOSE | BGP_FA_TIMERS_STOP | BGP_FA_DOWN, BGP_ERR_CEASE,
	  BGP_CEASE_ADMIN_SHUTDOWN },
	{ BGP_ST_ESTABLISHED, BGP_EV_HOLD_EXPIRED, BGP_ST_IDLE, NOTIFY | FAIL | BGP_FA_DOWN,
	  BGP_ERR_HOLD_TIMER, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_KEEPALIVE_TIMER, BGP_ST_ESTABLISHED,
	  BGP_FA_SEND_KEEPALIVE | BGP_FA_KEEPALIVE_START, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_KEEPALIVE, BGP_ST_ESTABLISHED, BGP_FA_HOLD_START, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_UPDATE, BGP_ST_ESTABLISHED,
	  BGP_FA_HOLD_START | BGP_FA_PROCESS, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_UPDATE_ERROR, BGP_ST_IDLE, NOTIFY | FAIL | BGP_FA_DOWN, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_MSG_ERROR, BGP_ST_IDLE, NOTIFY | FAIL | BGP_FA_DOWN, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_NOTIFICATION, BGP_ST_IDLE, FAIL | BGP_FA_DOWN, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_TCP_FAILED, BGP_ST_IDLE, FAIL | BGP_FA_DOWN, 0, 0 },
	{ BGP_ST_ESTABLISHED, BGP_EV_COLLISION_DUMP, BGP_ST_IDLE, NOTIFY | FAIL | BGP_FA_DOWN,
	  BGP_ERR_CEASE, BGP_CEASE_COLLISION },
	{ BGP_ST_ESTABLISHED, ANY, BGP_ST_IDLE, NOTIFY | FAIL | BGP_FA_DOWN, BGP_ERR_FSM, 3 },
};

struct bgp_fsm_step bgp_fsm_step(uint8_t state, uint8_t event)
{
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		if (r->state == state && (r->event == event || r->event == ANY))
			return (struct bgp_fsm_step){ r->next, r->actions, r->code, r->subcode };
	}
	/* Only an out-of-range state gets here: stay down. */
	return (struct bgp_fsm_step){ BGP_ST_IDLE, FAIL, 0, 0 };
}

const char *bgp_state_name(uint8_t state)
{
	static const char *const names[] = {
		[BGP_ST_IDLE] = "Idle",
		[BGP_ST_CONNECT] = "Connect",
		[BGP_ST_ACTIVE] = "Active",
		[BGP_ST_OPENSENT] = "OpenSent",
		[BGP_ST_OPENCONFIRM] = "OpenConfirm",
		[BGP_ST_ESTABLISHED] = "Established",
	};
	return state < BGP_ST_COUNT ? names[state] : "Unknown";
}

const char *bgp_event_name(uint8_t event)
{
	static const char *const names[] = {
		[BGP_EV_START] = "Start",
		[BGP_EV_START_PASSIVE] = "Start (passive)",
		[BGP_EV_STOP] = "Stop",
		[BGP_EV_CONNECT_RETRY] = "ConnectRetryTimer expired",
		[BGP_EV_HOLD_EXPIRED] = "HoldTimer expired",
		[BGP_EV_KEEPALIVE_TIMER] = "KeepaliveTimer expired",
		[BGP_EV_TCP_CONNECTED] = "TCP connection established",
		[BGP_EV_TCP_FAILED] = "TCP connection failed",
		[BGP_EV_OPEN] = "OPEN received",
		[BGP_EV_MSG_ERROR] = "malformed message",
		[BGP_EV_COLLISION_DUMP] = "connection collision",
		[BGP_EV_NOTIFICATION] = "NOTIFICATION received",
		[BGP_EV_KEEPALIVE] = "KEEPALIVE received",
		[BGP_EV_UPDATE] = "UPDATE received",
		[BGP_EV_UPDATE_ERROR] = "UPDATE calling for a reset",
	};
	return event < BGP_EV_COUNT ? names[event] : "unknown event";
}
