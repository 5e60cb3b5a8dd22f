/* test_fsm.c: the BGP state machine table (bgp_fsm_step) against RFC 4271
 * section 8.2.2, one row per (state, event) pair, plus properties that must
 * hold for every pair.
 *
 * A row names the next state, the actions that MUST be set and those that
 * MUST NOT be, and, when a NOTIFICATION must be sent, its code and subcode.
 * The table covers all BGP_ST_COUNT x BGP_EV_COUNT pairs exactly once (a test
 * checks that), so a new event or state cannot be added without a row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bgp/fsm.h"
#include "bgp/wire.h"
#include "testutil.h"

/* Short names so that a row fits on a line. */
#define IDLE BGP_ST_IDLE
#define CONN BGP_ST_CONNECT
#define ACTV BGP_ST_ACTIVE
#define OSNT BGP_ST_OPENSENT
#define OCFM BGP_ST_OPENCONFIRM
#define ESTB BGP_ST_ESTABLISHED

#define E_START BGP_EV_START
#define E_PASSIVE BGP_EV_START_PASSIVE
#define E_STOP BGP_EV_STOP
#define E_RETRY BGP_EV_CONNECT_RETRY
#define E_HOLD BGP_EV_HOLD_EXPIRED
#define E_KATIMER BGP_EV_KEEPALIVE_TIMER
#define E_TCPUP BGP_EV_TCP_CONNECTED
#define E_TCPFAIL BGP_EV_TCP_FAILED
#define E_OPEN BGP_EV_OPEN
#define E_MSGERR BGP_EV_MSG_ERROR
#define E_COLL BGP_EV_COLLISION_DUMP
#define E_NOTIF BGP_EV_NOTIFICATION
#define E_KA BGP_EV_KEEPALIVE
#define E_UPD BGP_EV_UPDATE
#define E_UPDERR BGP_EV_UPDATE_ERROR

#define CONNECT BGP_FA_CONNECT
#define CLOSE BGP_FA_CLOSE
#define S_OPEN BGP_FA_SEND_OPEN
#define S_KA BGP_FA_SEND_KEEPALIVE
#define S_NOTIFY BGP_FA_SEND_NOTIFY
#define CR_START BGP_FA_CONNECT_RETRY_START
#define CR_STOP BGP_FA_CONNECT_RETRY_STOP
#define HOLD_LARGE BGP_FA_HOLD_START_LARGE
#define HOLD BGP_FA_HOLD_START
#define KA_START BGP_FA_KEEPALIVE_START
#define T_STOP BGP_FA_TIMERS_STOP
#define UP BGP_FA_UP
#define DOWN BGP_FA_DOWN
#define PROCESS BGP_FA_PROCESS
#define RETRY_CNT BGP_FA_RETRY_COUNT

#define ALL_ACTIONS 0x7fffu /* every bit of enum bgp_fsm_action */
#define SENDS (S_OPEN | S_KA | S_NOTIFY)
#define ROUTES (UP | DOWN | PROCESS)

/* code/subcode in a row: NA when no NOTIFICATION is expected (or one is
 * optional), ANY_SUB when the code is fixed but the subcode is not. */
#define NA (-1)
#define ANY_SUB (-1)
/* Code 0: the caller sends the NOTIFICATION of the error it found. */
#define CALLER 0

struct fsm_case {
	uint8_t state, event, next;
	uint32_t must, must_not;
	int code, subcode; /* checked when must has S_NOTIFY and code != NA */
};

/* "Ignored" in the RFC: same state, nothing done. */
#define IGNORED(st, ev) { st, ev, st, 0, ALL_ACTIONS, NA, NA }
/* A failure in Connect or Active: back to Idle, ConnectRetryCounter + 1. */
#define PRE_OPEN_FAIL(st, ev) { st, ev, IDLE, CLOSE | RETRY_CNT, CONNECT | S_OPEN | ROUTES, NA, NA }
/* An unexpected event after our OPEN: FSM Error (5), subcode by state
 * (RFC 6608: 1 OpenSent, 2 OpenConfirm, 3 Established). */
#define FSM_ERR(st, ev, sub, down)                                                          \
	{ st, ev, IDLE, S_NOTIFY | CLOSE | RETRY_CNT | (down), S_OPEN | S_KA | UP | PROCESS,  \
	  BGP_ERR_FSM, sub }

static const struct fsm_case cases[] = {
	/* Idle (8.2.2): ManualStart/AutomaticStart (1, 3) start the
	 * ConnectRetryTimer, initiate a TCP connection and go to Connect; the
	 * passive starts (4, 5) start the timer, listen and go to Active. "Any
	 * other event received in the Idle state does not cause change in the
	 * state"; 8.2.1: "In the Idle state, BGP refuses all incoming BGP
	 * connections". ManualStop (2) is ignored in Idle. */
	{ IDLE, E_START, CONN, CR_START | CONNECT, CLOSE | SENDS | ROUTES, NA, NA },
	{ IDLE, E_PASSIVE, ACTV, CR_START, CONNECT | CLOSE | SENDS | ROUTES, NA, NA },
	{ IDLE, E_TCPUP, IDLE, CLOSE, CONNECT | SENDS | ROUTES | CR_START, NA, NA },
	IGNORED(IDLE, E_STOP),
	IGNORED(IDLE, E_RETRY),
	IGNORED(IDLE, E_HOLD),
	IGNORED(IDLE, E_KATIMER),
	IGNORED(IDLE, E_TCPFAIL),
	IGNORED(IDLE, E_OPEN),
	IGNORED(IDLE, E_MSGERR),
	IGNORED(IDLE, E_COLL),
	IGNORED(IDLE, E_NOTIF),
	IGNORED(IDLE, E_KA),
	IGNORED(IDLE, E_UPD),
	IGNORED(IDLE, E_UPDERR),

	/* Connect: starts are ignored. ManualStop drops the connection, stops
	 * the ConnectRetryTimer and sets ConnectRetryCounter to zero (no +1).
	 * ConnectRetryTimer_Expires drops the connection, restarts the timer and
	 * initiates a new connection, staying in Connect. Tcp_CR_Acked /
	 * TcpConnectionConfirmed (16, 17) without DelayOpen: stop the
	 * ConnectRetryTimer, send OPEN, HoldTimer to a large value, OpenSent. */
	IGNORED(CONN, E_START),
	IGNORED(CONN, E_PASSIVE),
	{ CONN, E_STOP, IDLE, CLOSE | T_STOP, S_NOTIFY | RETRY_CNT | CONNECT | ROUTES, NA, NA },
	{ CONN, E_RETRY, CONN, CLOSE | CR_START | CONNECT, SENDS | ROUTES | RETRY_CNT, NA, NA },
	{ CONN, E_TCPUP, OSNT, CR_STOP | S_OPEN | HOLD_LARGE,
	  CLOSE | HOLD | KA_START | S_KA | S_NOTIFY | ROUTES, NA, NA },
	/* Connect + TcpConnectionFails (18): RFC 4271 goes to Idle when no
	 * DelayOpenTimer runs; FRR, whose behaviour users know, restarts the
	 * retry timer and waits in Active, and so does nvad. */
	{ CONN, E_TCPFAIL, ACTV, CLOSE | CR_START, CONNECT | SENDS | ROUTES, NA, NA },
	/* Header/OPEN errors (21, 22): NOTIFICATION only if
	 * SendNOTIFICATIONwithoutOPEN (optional), counter + 1, Idle. Any other
	 * event (8, 10-11, 13, 19, 23, 25-28) and NotifMsgVerErr (24): counter
	 * + 1, drop the connection, Idle. */
	PRE_OPEN_FAIL(CONN, E_MSGERR),
	PRE_OPEN_FAIL(CONN, E_HOLD),
	PRE_OPEN_FAIL(CONN, E_KATIMER),
	PRE_OPEN_FAIL(CONN, E_OPEN),
	PRE_OPEN_FAIL(CONN, E_COLL),
	PRE_OPEN_FAIL(CONN, E_NOTIF),
	PRE_OPEN_FAIL(CONN, E_KA),
	PRE_OPEN_FAIL(CONN, E_UPD),
	PRE_OPEN_FAIL(CONN, E_UPDERR),

	/* Active: starts ignored; ManualStop to Idle with counter zeroed;
	 * ConnectRetryTimer_Expires restarts the timer, initiates a connection
	 * and goes to Connect; 16/17 as in Connect (OPEN, large HoldTimer,
	 * OpenSent); TcpConnectionFails (18) restarts the timer, counter + 1,
	 * Idle; header/OPEN errors and any other event (8, 10-11, 13, 19, 23,
	 * 25-28): counter + 1, Idle. */
	IGNORED(ACTV, E_START),
	IGNORED(ACTV, E_PASSIVE),
	{ ACTV, E_STOP, IDLE, CLOSE | T_STOP, S_NOTIFY | RETRY_CNT | CONNECT | ROUTES, NA, NA },
	{ ACTV, E_RETRY, CONN, CR_START | CONNECT, SENDS | ROUTES | RETRY_CNT, NA, NA },
	{ ACTV, E_TCPUP, OSNT, CR_STOP | S_OPEN | HOLD_LARGE,
	  CLOSE | HOLD | KA_START | S_KA | S_NOTIFY | ROUTES, NA, NA },
	{ ACTV, E_TCPFAIL, IDLE, RETRY_CNT, CONNECT | SENDS | ROUTES, NA, NA },
	PRE_OPEN_FAIL(ACTV, E_MSGERR),
	PRE_OPEN_FAIL(ACTV, E_HOLD),
	PRE_OPEN_FAIL(ACTV, E_KATIMER),
	PRE_OPEN_FAIL(ACTV, E_OPEN),
	PRE_OPEN_FAIL(ACTV, E_COLL),
	PRE_OPEN_FAIL(ACTV, E_NOTIF),
	PRE_OPEN_FAIL(ACTV, E_KA),
	PRE_OPEN_FAIL(ACTV, E_UPD),
	PRE_OPEN_FAIL(ACTV, E_UPDERR),

	/* OpenSent: starts ignored. ManualStop sends Cease (6), here
	 * Administrative Shutdown (RFC 4486: 2), counter zeroed. HoldTimer
	 * expiry sends Hold Timer Expired (4, no subcode), counter + 1.
	 * TcpConnectionFails closes, restarts the ConnectRetryTimer and goes
	 * to Active. A valid OPEN (19): ConnectRetryTimer to zero, send
	 * KEEPALIVE, start the KeepaliveTimer, HoldTimer to the negotiated
	 * value, OpenConfirm. Header/OPEN errors (21, 22) send the error's own
	 * NOTIFICATION. OpenCollisionDump (23) sends Cease, subcode Connection
	 * Collision Resolution (RFC 4486: 7). */
	IGNORED(OSNT, E_START),
	IGNORED(OSNT, E_PASSIVE),
	{ OSNT, E_STOP, IDLE, S_NOTIFY | CLOSE | T_STOP, RETRY_CNT | ROUTES | S_OPEN | S_KA,
	  BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN },
	{ OSNT, E_HOLD, IDLE, S_NOTIFY | CLOSE | RETRY_CNT, ROUTES | S_OPEN | S_KA,
	  BGP_ERR_HOLD_TIMER, 0 },
	{ OSNT, E_TCPFAIL, ACTV, CLOSE | CR_START, SENDS | CONNECT | ROUTES, NA, NA },
	{ OSNT, E_OPEN, OCFM, CR_STOP | S_KA | KA_START | HOLD,
	  CLOSE | S_OPEN | S_NOTIFY | HOLD_LARGE | ROUTES, NA, NA },
	{ OSNT, E_MSGERR, IDLE, S_NOTIFY | CLOSE | RETRY_CNT, ROUTES | S_OPEN | S_KA, CALLER, 0 },
	{ OSNT, E_COLL, IDLE, S_NOTIFY | CLOSE | RETRY_CNT, ROUTES | S_OPEN | S_KA, BGP_ERR_CEASE,
	  BGP_CEASE_COLLISION },
	/* A NOTIFICATION received (24, 25) ends the session; answering it with
	 * another one is not required (24 lists no send), so only Idle + close
	 * are checked. */
	{ OSNT, E_NOTIF, IDLE, CLOSE, ROUTES | S_OPEN | S_KA, NA, NA },
	/* 8.2.2 OpenSent: "If a TcpConnection_Valid (Event 14), Tcp_CR_Acked
	 * (Event 16), or a TcpConnectionConfirmed event (Event 17) is received,
	 * a second TCP connection may be in progress. This second TCP
	 * connection is tracked per Connection Collision processing (Section
	 * 6.8) until an OPEN message is received." No state change. */
	{ OSNT, E_TCPUP, OSNT, 0, CLOSE | S_NOTIFY | ROUTES | T_STOP, NA, NA },
	/* Any other event (9, 11-13, 20, 25-28): FSM Error, counter + 1. */
	FSM_ERR(OSNT, E_RETRY, ANY_SUB, 0),
	FSM_ERR(OSNT, E_KATIMER, ANY_SUB, 0),
	FSM_ERR(OSNT, E_KA, 1, 0),
	FSM_ERR(OSNT, E_UPD, 1, 0),
	FSM_ERR(OSNT, E_UPDERR, 1, 0),

	/* OpenConfirm: starts ignored; ManualStop sends Cease 6/2 with the
	 * counter zeroed; HoldTimer expiry sends 4; KeepaliveTimer_Expires
	 * sends a KEEPALIVE and restarts the timer; TcpConnectionFails and
	 * NOTIFICATIONs (18, 24, 25) drop to Idle without sending; header/OPEN
	 * errors send their own NOTIFICATION; OpenCollisionDump sends 6/7;
	 * KeepAliveMsg (26) restarts the HoldTimer and enters Established. */
	IGNORED(OCFM, E_START),
	IGNORED(OCFM, E_PASSIVE),
	{ OCFM, E_STOP, IDLE, S_NOTIFY | CLOSE | T_STOP, RETRY_CNT | ROUTES | S_OPEN | S_KA,
	  BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN },
	{ OCFM, E_HOLD, IDLE, S_NOTIFY | CLOSE | RETRY_CNT, ROUTES | S_OPEN | S_KA,
	  BGP_ERR_HOLD_TIMER, 0 },
	{ OCFM, E_KATIMER, OCFM, S_KA | KA_START, CLOSE | S_OPEN | S_NOTIFY | ROUTES, NA, NA },
	{ OCFM, E_TCPFAIL, IDLE, CLOSE | RETRY_CNT, SENDS | ROUTES, NA, NA },
	{ OCFM, E_NOTIF, IDLE, CLOSE, SENDS | ROUTES, NA, NA },
	{ OCFM, E_MSGERR, IDLE, S_NOTIFY | CLOSE | RETRY_CNT, ROUTES | S_OPEN | S_KA, CALLER, 0 },
	{ OCFM, E_COLL, IDLE, S_NOTIFY | CLOSE | RETRY_CNT, ROUTES | S_OPEN | S_KA, BGP_ERR_CEASE,
	  BGP_CEASE_COLLISION },
	{ OCFM, E_KA, ESTB, HOLD | UP, CLOSE | SENDS | DOWN | HOLD_LARGE, NA, NA },
	/* 8.2.2 OpenConfirm: "In the event of TcpConnection_Valid event (Event
	 * 14), or the success of a TCP connection (Event 16 or Event 17) while
	 * in OpenConfirm, the local system needs to track the second
	 * connection." No state change. */
	{ OCFM, E_TCPUP, OCFM, 0, CLOSE | S_NOTIFY | ROUTES | T_STOP, NA, NA },
	/* Any other event (9, 12-13, 20, 27-28): FSM Error; RFC 6608 names
	 * OPEN and UPDATE in OpenConfirm as unexpected messages (5/2). */
	FSM_ERR(OCFM, E_RETRY, ANY_SUB, 0),
	FSM_ERR(OCFM, E_OPEN, 2, 0),
	FSM_ERR(OCFM, E_UPD, 2, 0),
	FSM_ERR(OCFM, E_UPDERR, 2, 0),

	/* Established: starts ignored. ManualStop sends Cease 6/2, deletes the
	 * routes, counter zeroed. HoldTimer expiry sends 4, counter + 1.
	 * KeepaliveTimer_Expires sends a KEEPALIVE and restarts the timer.
	 * KeepAliveMsg restarts the HoldTimer; UpdateMsg is processed and
	 * restarts the HoldTimer. UpdateMsgErr (28) sends the UPDATE error's
	 * NOTIFICATION (section 6.3), deletes the routes. TcpConnectionFails and
	 * NOTIFICATIONs (18, 24, 25): delete the routes, drop, Idle, nothing
	 * sent. OpenCollisionDump: Cease 6/7. */
	IGNORED(ESTB, E_START),
	IGNORED(ESTB, E_PASSIVE),
	{ ESTB, E_STOP, IDLE, S_NOTIFY | CLOSE | T_STOP | DOWN, RETRY_CNT | UP | S_OPEN | S_KA,
	  BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN },
	{ ESTB, E_HOLD, IDLE, S_NOTIFY | CLOSE | RETRY_CNT | DOWN, UP | S_OPEN | S_KA,
	  BGP_ERR_HOLD_TIMER, 0 },
	{ ESTB, E_KATIMER, ESTB, S_KA | KA_START, CLOSE | S_OPEN | S_NOTIFY | ROUTES | T_STOP, NA,
	  NA },
	{ ESTB, E_KA, ESTB, HOLD, CLOSE | SENDS | ROUTES | T_STOP, NA, NA },
	{ ESTB, E_UPD, ESTB, HOLD | PROCESS, CLOSE | SENDS | UP | DOWN | T_STOP, NA, NA },
	{ ESTB, E_UPDERR, IDLE, S_NOTIFY | CLOSE | RETRY_CNT | DOWN, UP | PROCESS | S_OPEN | S_KA,
	  CALLER, 0 },
	/* Header errors found in Established carry their own NOTIFICATION
	 * (section 6.1), as everywhere else. */
	{ ESTB, E_MSGERR, IDLE, S_NOTIFY | CLOSE | DOWN, UP | PROCESS | S_OPEN | S_KA, CALLER, 0 },
	{ ESTB, E_NOTIF, IDLE, CLOSE | RETRY_CNT | DOWN, SENDS | UP | PROCESS, NA, NA },
	{ ESTB, E_TCPFAIL, IDLE, CLOSE | RETRY_CNT | DOWN, SENDS | UP | PROCESS, NA, NA },
	{ ESTB, E_COLL, IDLE, S_NOTIFY | CLOSE | DOWN, UP | PROCESS | S_OPEN | S_KA, BGP_ERR_CEASE,
	  BGP_CEASE_COLLISION },
	/* 8.2.2 Established: "In response to an indication that the TCP
	 * connection is successfully established (Event 16 or Event 17), the
	 * second connection SHALL be tracked until it sends an OPEN message."
	 * The established session stays up. */
	{ ESTB, E_TCPUP, ESTB, 0, CLOSE | S_NOTIFY | ROUTES | T_STOP, NA, NA },
	/* Any other event (9, 12-13, 20-22): FSM Error, routes deleted; RFC
	 * 6608 names OPEN in Established as an unexpected message (5/3). */
	FSM_ERR(ESTB, E_RETRY, ANY_SUB, DOWN),
	FSM_ERR(ESTB, E_OPEN, 3, DOWN),
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static const char *action_name(uint32_t bit)
{
	switch (bit) {
	case CONNECT: return "CONNECT";
	case CLOSE: return "CLOSE";
	case S_OPEN: return "SEND_OPEN";
	case S_KA: return "SEND_KEEPALIVE";
	case S_NOTIFY: return "SEND_NOTIFY";
	case CR_START: return "CONNECT_RETRY_START";
	case CR_STOP: return "CONNECT_RETRY_STOP";
	case HOLD_LARGE: return "HOLD_START_LARGE";
	case HOLD: return "HOLD_START";
	case KA_START: return "KEEPALIVE_START";
	case T_STOP: return "TIMERS_STOP";
	case UP: return "UP";
	case DOWN: return "DOWN";
	case PROCESS: return "PROCESS";
	case RETRY_CNT: return "RETRY_COUNT";
	default: return "?";
	}
}

static void print_bits(const char *what, uint32_t bits)
{
	print_message("      %s:", what);
	for (uint32_t b = 1; b <= ALL_ACTIONS; b <<= 1)
		if (bits & b)
			print_message(" %s", action_name(b));
	print_message("\n");
}

/* Checks one row; prints what differs and returns false on a mismatch. */
static bool check_case(const struct fsm_case *c)
{
	struct bgp_fsm_step st = bgp_fsm_step(c->state, c->event);
	bool ok = true;
	uint32_t missing = c->must & ~st.actions;
	uint32_t forbidden = c->must_not & st.actions;

	if (st.next != c->next)
		ok = false;
	if (missing || forbidden)
		ok = false;
	bool check_code = (c->must & S_NOTIFY) && c->code != NA;
	if (check_code && st.code != c->code)
		ok = false;
	if (check_code && c->subcode != ANY_SUB && st.subcode != c->subcode)
		ok = false;
	if (ok)
		return true;

	print_message("MISMATCH %s + %s: got %s, want %s\n", bgp_state_name(c->state),
		      bgp_event_name(c->event), bgp_state_name(st.next), bgp_state_name(c->next));
	print_bits("actions", st.actions);
	if (missing)
		print_bits("missing", missing);
	if (forbidden)
		print_bits("forbidden", forbidden);
	if (check_code)
		print_message("      notification: got %u/%u, want %d/%d\n", st.code, st.subcode,
			      c->code, c->subcode);
	return false;
}

static void test_fsm_table(void **state)
{
	(void)state;
	/* Every row is checked and every mismatch printed before failing, so
	 * that one run lists all the departures from the RFC. */
	unsigned bad = 0;
	for (size_t i = 0; i < N_CASES; i++)
		if (!check_case(&cases[i]))
			bad++;
	if (bad)
		fail_msg("%u of %zu (state, event) rows differ from RFC 4271 8.2.2", bad, N_CASES);
}

static void test_fsm_table_complete(void **state)
{
	(void)state;
	/* Each (state, event) pair has exactly one row. */
	unsigned seen[BGP_ST_COUNT][BGP_EV_COUNT];
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < N_CASES; i++) {
		assert_true(cases[i].state < BGP_ST_COUNT);
		assert_true(cases[i].event < BGP_EV_COUNT);
		assert_true(cases[i].next < BGP_ST_COUNT);
		/* A row cannot both require and forbid an action. */
		assert_int_equal(cases[i].must & cases[i].must_not, 0);
		seen[cases[i].state][cases[i].event]++;
	}
	for (unsigned s = 0; s < BGP_ST_COUNT; s++)
		for (unsigned e = 0; e < BGP_EV_COUNT; e++) {
			if (seen[s][e] != 1)
				print_error("%s + %s: %u rows\n", bgp_state_name((uint8_t)s),
					    bgp_event_name((uint8_t)e), seen[s][e]);
			assert_int_equal(seen[s][e], 1);
		}
}

/* Events whose NOTIFICATION the caller builds: header and OPEN errors
 * anywhere, UPDATE errors in Established (before it an UPDATE is itself
 * unexpected: FSM Error). */
static bool caller_notifies(uint8_t state, uint8_t ev)
{
	return ev == BGP_EV_MSG_ERROR ||
	       (ev == BGP_EV_UPDATE_ERROR && state == BGP_ST_ESTABLISHED);
}

/* One property of the step for (s, e); on failure names the pair. */
#define PROP(cond, what)                                                                    \
	do {                                                                                \
		if (!(cond))                                                                \
			fail_msg("%s + %s -> %s: %s", bgp_state_name(st8),                  \
				 bgp_event_name(ev8), bgp_state_name(st.next), what);        \
	} while (0)

static void test_fsm_properties(void **state)
{
	(void)state;
	for (unsigned s = 0; s < BGP_ST_COUNT; s++) {
		for (unsigned e = 0; e < BGP_EV_COUNT; e++) {
			uint8_t st8 = (uint8_t)s, ev8 = (uint8_t)e;
			struct bgp_fsm_step st = bgp_fsm_step(st8, ev8);

			PROP(st.next < BGP_ST_COUNT, "next state out of range");
			PROP(!(st.actions & ~ALL_ACTIONS), "unknown action bit");

			bool leaves_est = s == BGP_ST_ESTABLISHED && st.next != BGP_ST_ESTABLISHED;
			bool enters_est = s != BGP_ST_ESTABLISHED && st.next == BGP_ST_ESTABLISHED;
			PROP(!!(st.actions & DOWN) == leaves_est,
			     "DOWN must be set exactly when leaving Established");
			PROP(!!(st.actions & UP) == enters_est,
			     "UP must be set exactly when entering Established");
			PROP(!enters_est || s == BGP_ST_OPENCONFIRM,
			     "Established is entered only from OpenConfirm");
			PROP(s != BGP_ST_IDLE || st.next == BGP_ST_IDLE ||
				     st.next == BGP_ST_CONNECT || st.next == BGP_ST_ACTIVE,
			     "Idle moves only to Connect or Active");
			PROP(s != BGP_ST_IDLE || st.next == BGP_ST_IDLE || e == BGP_EV_START ||
				     e == BGP_EV_START_PASSIVE,
			     "Idle moves only on a start");
			PROP(!(st.actions & PROCESS) ||
				     (s == BGP_ST_ESTABLISHED && st.next == BGP_ST_ESTABLISHED),
			     "messages reach the RIB only in Established");
			/* A NOTIFICATION carries a code of its own, except for
			 * message errors whose code the caller supplies (0 in
			 * the step); no code without SEND_NOTIFY. */
			if (st.actions & S_NOTIFY)
				PROP(caller_notifies(st8, ev8) ? st.code == 0 : st.code != 0,
				     "NOTIFICATION code: 0 exactly for message errors");
			else
				PROP(st.code == 0 && st.subcode == 0, "code without SEND_NOTIFY");
			PROP(s == BGP_ST_IDLE || st.next != BGP_ST_IDLE ||
				     (st.actions & (CLOSE | T_STOP)) == (CLOSE | T_STOP),
			     "falling back to Idle closes and stops the timers");
			PROP(!(st.actions & S_OPEN) || st.next == BGP_ST_OPENSENT,
			     "OPEN is sent only on the way into OpenSent");
			PROP(!(st.actions & CONNECT) || st.next == BGP_ST_CONNECT,
			     "a connection is initiated only into Connect");
			/* ManualStop (2) ends in Idle with ConnectRetryCounter
			 * zeroed, not raised; after our OPEN it sends Cease /
			 * Administrative Shutdown (RFC 4486). */
			if (e == BGP_EV_STOP) {
				PROP(st.next == BGP_ST_IDLE, "ManualStop ends in Idle");
				PROP(!(st.actions & RETRY_CNT), "ManualStop zeroes the counter");
				if (s >= BGP_ST_OPENSENT)
					PROP((st.actions & S_NOTIFY) && st.code == BGP_ERR_CEASE &&
						     st.subcode == BGP_CEASE_ADMIN_SHUTDOWN,
					     "ManualStop after OPEN sends Cease 6/2");
			}
			/* Starts (1, 3-5) are ignored once started. */
			if ((e == BGP_EV_START || e == BGP_EV_START_PASSIVE) && s != BGP_ST_IDLE)
				PROP(st.next == s && st.actions == 0, "a start is ignored once started");
		}
	}
}

static void test_fsm_out_of_range(void **state)
{
	(void)state;
	/* A state outside the table stays down rather than reading past it. */
	struct bgp_fsm_step st = bgp_fsm_step(BGP_ST_COUNT, BGP_EV_START);
	assert_int_equal(st.next, BGP_ST_IDLE);
	assert_false(st.actions & (UP | SENDS | CONNECT));
	st = bgp_fsm_step(0xff, BGP_EV_KEEPALIVE);
	assert_int_equal(st.next, BGP_ST_IDLE);
	assert_false(st.actions & (UP | SENDS | CONNECT));
	assert_non_null(bgp_state_name(BGP_ST_COUNT));
	assert_non_null(bgp_event_name(BGP_EV_COUNT));
}

static void test_fsm_names(void **state)
{
	(void)state;
	/* FRR's state names, as "show bgp neighbors" prints them. */
	static const char *const frr[BGP_ST_COUNT] = {
		"Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established",
	};
	for (unsigned s = 0; s < BGP_ST_COUNT; s++) {
		const char *n = bgp_state_name((uint8_t)s);
		assert_non_null(n);
		assert_string_equal(n, frr[s]);
	}
	/* Event names: non-empty and distinct. */
	for (unsigned e = 0; e < BGP_EV_COUNT; e++) {
		const char *n = bgp_event_name((uint8_t)e);
		assert_non_null(n);
		assert_true(n[0] != '\0');
		for (unsigned f = 0; f < e; f++)
			assert_string_not_equal(n, bgp_event_name((uint8_t)f));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_table),
		cmocka_unit_test(test_fsm_table_complete),
		cmocka_unit_test(test_fsm_properties),
		cmocka_unit_test(test_fsm_out_of_range),
		cmocka_unit_test(test_fsm_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
