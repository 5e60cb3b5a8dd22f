/* commands.c: what nvactl may ask nvad: the show commands (FRR's words),
 * clear, reload, and monitor. Words are matched as a small grammar: a table
 * of command shapes, first match wins. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "bgp/fsm.h"
#include "bgp/show.h"
#include "nvad.h"

#define MAX_WORDS 16

struct cmd {
	char buf[CTL_MAX_REQUEST];
	const char *w[MAX_WORDS];
	int n;
	bool json;
};

static bool split(const char *line, struct cmd *c)
{
	snprintf(c->buf, sizeof(c->buf), "%s", line);
	c->n = 0;
	c->json = false;
	for (char *save = NULL, *tok = strtok_r(c->buf, " \t\r", &save); tok;
	     tok = strtok_r(NULL, " \t\r", &save)) {
		if (c->n == MAX_WORDS)
			return false;
		c->w[c->n++] = tok;
	}
	if (c->n && strcmp(c->w[c->n - 1], "json") == 0) {
		c->json = true;
		c->n--;
	}
	return true;
}

/* Does word i start with the given keyword? FRR accepts unique prefixes of
 * keywords ("sh ip bgp su"); nvad accepts the usual abbreviations the same way,
 * as long as the prefix has at least two letters or is the whole word. */
static bool kw(const struct cmd *c, int i, const char *keyword)
{
	if (i >= c->n)
		return false;
	size_t n = strlen(c->w[i]);
	return n && n <= strlen(keyword) && strncmp(c->w[i], keyword, n) == 0 &&
	       (n >= 2 || n == strlen(keyword));
}

static struct bgp_speaker *need_bgp(struct nvad *d, struct strbuf *out)
{
	if (!d->bgp)
		strbuf_puts(out, "% BGP instance not found\n");
	return d->bgp;
}

/* "show ip bgp ..." or "show bgp [ipv4|ipv6] [unicast] ...": returns the
 * index of the next word; sets the family (BGP_FAM_COUNT when "show bgp"
 * names none) and whether both AFI and SAFI were named. */
static int bgp_family_words(const struct cmd *c, uint8_t *fam, bool *afi_safi)
{
	*fam = BGP_FAM_IPV4;
	*afi_safi = false;
	int i;
	if (kw(c, 1, "ip") && kw(c, 2, "bgp")) {
		i = 3;
		if (kw(c, i, "ipv4"))
			i++;
	} else if (kw(c, 1, "bgp")) {
		i = 2;
		if (kw(c, i, "ipv6"))
			*fam = BGP_FAM_IPV6;
		else if (!kw(c, i, "ipv4"))
			*fam = BGP_FAM_COUNT;
		if (*fam != BGP_FAM_COUNT)
			i++;
	} else {
		return -1;
	}
	if (kw(c, i, "unicast")) {
		*afi_safi = *fam != BGP_FAM_COUNT;
		i++;
	}
	return i;
}

static int show_bgp(struct nvad *d, const struct cmd *c, struct strbuf *out)
{
	uint8_t fam;
	struct bgp_show_opts o = { 0 };
	int i = bgp_family_words(c, &fam, &o.afi_safi);
	if (i < 0)
		return CTL_UNKNOWN;
	struct bgp_speaker *s = need_bgp(d, out);
	if (!s)
		return CTL_ERROR;
	if (kw(c, i, "summary") && i + 1 == c->n) {
		bgp_show_summary(s, fam, c->json, &o, out);
		return CTL_OK;
	}
	if (fam == BGP_FAM_COUNT)
		fam = BGP_FAM_IPV4; /* "show bgp ..." means IPv4 unicast, as in FRR */
	if (i == c->n) {
		bgp_show_routes(s, fam, NULL, c->json, &o, out);
		return CTL_OK;
	}
	if (kw(c, i, "neighbors")) {
		struct ipaddr a;
		if (i + 1 == c->n) {
			bgp_show_neighbors(s, NULL, c->json, &o, out);
			return CTL_OK;
		}
		if (!ipaddr_parse(c->w[i + 1], &a)) {
			strbuf_printf(out, "%% Malformed address: %s\n", c->w[i + 1]);
			return CTL_ERROR;
		}
		if (i + 2 == c->n) {
			bgp_show_neighbors(s, &a, c->json, &o, out);
			return CTL_OK;
		}
		int which = kw(c, i + 2, "advertised-routes") ? BGP_SHOW_ADVERTISED
			    : kw(c, i + 2, "received-routes") ? BGP_SHOW_RECEIVED
			    : kw(c, i + 2, "routes")          ? BGP_SHOW_ROUTES
							      : -1;
		if (which < 0 || i + 3 != c->n)
			return CTL_UNKNOWN;
		return bgp_show_neighbor_routes(s, &a, fam, which, c->json, &o, out) ? CTL_OK
											: CTL_ERROR;
	}
	if (i + 1 == c->n) {
		struct prefix p;
		struct ipaddr a;
		bool is_prefix = strchr(c->w[i], '/') != NULL;
		if (is_prefix ? prefix_parse(c->w[i], true, &p) : ipaddr_parse(c->w[i], &a)) {
			if (!is_prefix) {
				/* An address: its host route, as FRR looks it up. */
				memset(&p, 0, sizeof(p));
				p.family = a.family;
				p.len = (uint8_t)prefix_family_bits(a.family);
				memcpy(p.a, a.a, sizeof(p.a));
			}
			bgp_show_routes(s, p.family == AF_INET6 ? BGP_FAM_IPV6 : BGP_FAM_IPV4, &p,
					c->json, &o, out);
			return CTL_OK;
		}
	}
	return CTL_UNKNOWN;
}

static int clear_bgp(struct nvad *d, const struct cmd *c, struct strbuf *out)
{
	int i = kw(c, 1, "ip") ? 2 : 1;
	if (!kw(c, i, "bgp") || i + 1 >= c->n)
		return CTL_UNKNOWN;
	struct bgp_speaker *s = need_bgp(d, out);
	if (!s)
		return CTL_ERROR;
	const char *who = c->w[i + 1];
	bool soft = kw(c, i + 2, "soft");
	bool in = soft && (i + 3 == c->n || kw(c, i + 3, "in"));
	bool outb = soft && (i + 3 == c->n || kw(c, i + 3, "out"));
	if (soft ? c->n > i + 4 : c->n != i + 2)
		return CTL_UNKNOWN;
	struct ipaddr a;
	bool all = strcmp(who, "*") == 0;
	if (!all && !ipaddr_parse(who, &a)) {
		strbuf_printf(out, "%% Malformed address: %s\n", who);
		return CTL_ERROR;
	}
	struct bgp_peer *one = all ? NULL : bgp_peer_find(s, &a);
	if (!all && !one) {
		strbuf_printf(out, "%% BGP: Unknown neighbor - \"%s\"\n", who);
		return CTL_ERROR;
	}
	bgp_speaker_clear(s, one, soft, in, outb);
	return CTL_OK;
}

int nvad_command(void *ctx, const char *line, struct strbuf *out, struct ctl_client *client)
{
	struct nvad *d = ctx;
	struct cmd c;
	if (!split(line, &c) || c.n == 0) {
		strbuf_puts(out, "% Command incomplete\n");
		return CTL_UNKNOWN;
	}
	int rc = CTL_UNKNOWN;
	if (kw(&c, 0, "show")) {
		if (kw(&c, 1, "running-config") && c.n == 2) {
			conf_print(d->conf, out);
			rc = CTL_OK;
		} else if ((kw(&c, 1, "ip") || kw(&c, 1, "ipv6")) && kw(&c, 2, "route") && c.n == 3) {
			nvad_show_route(d, kw(&c, 1, "ipv6") && strcmp(c.w[1], "ip") != 0 ? AF_INET6
											 : AF_INET,
					c.json, out);
			rc = CTL_OK;
		} else {
			rc = show_bgp(d, &c, out);
		}
	} else if (kw(&c, 0, "clear")) {
		rc = clear_bgp(d, &c, out);
	} else if (kw(&c, 0, "reload") && c.n == 1) {
		rc = nvad_reload(d, out) ? CTL_OK : CTL_ERROR;
	} else if (kw(&c, 0, "monitor") && c.n == 1) {
		ctl_client_subscribe(client);
		return -1;
	}
	if (rc == CTL_UNKNOWN)
		strbuf_printf(out, "%% Unknown command: %s\n", line);
	return rc;
}

/* monitor: one JSON line per session change and per best-path change. */
void nvad_event(void *ctx, const struct bgp_speaker_event *ev)
{
	struct nvad *d = ctx;
	if (ev->type == BGP_EVENT_EOR)
		nvad_kernel_eor(d);
	if (!d->ctl || ctl_subscribers(d->ctl) == 0)
		return;
	char buf[PREFIX_STRLEN];
	struct json_object *o = json_object_new_object();
	if (ev->type == BGP_EVENT_EOR) {
		json_object_object_add(o, "event", json_object_new_string("end-of-rib"));
		json_object_object_add(o, "neighbor",
				       json_object_new_string(ipaddr_fmt(ev->peer, buf, sizeof(buf))));
	} else if (ev->type == BGP_EVENT_SESSION) {
		json_object_object_add(o, "event", json_object_new_string("session"));
		json_object_object_add(o, "neighbor",
				       json_object_new_string(ipaddr_fmt(ev->peer, buf, sizeof(buf))));
		json_object_object_add(o, "state", json_object_new_string(bgp_state_name(ev->state)));
		if (ev->reason)
			json_object_object_add(o, "reason", json_object_new_string(ev->reason));
	} else {
		json_object_object_add(o, "event", json_object_new_string("route"));
		json_object_object_add(o, "prefix",
				       json_object_new_string(prefix_fmt(ev->prefix, buf, sizeof(buf))));
		json_object_object_add(o, "action",
				       json_object_new_string(ev->attrs ? "best" : "withdrawn"));
		if (ev->attrs) {
			struct strbuf path = STRBUF_INIT;
			bgp_aspath_fmt(ev->attrs->aspath, &path);
			json_object_object_add(o, "asPath", json_object_new_string(strbuf_str(&path)));
			strbuf_free(&path);
			json_object_object_add(o, "origin",
					       json_object_new_string(bgp_origin_name(ev->attrs->origin)));
			json_object_object_add(o, "from",
					       json_object_new_string(ev->local ? "local"
							: ipaddr_fmt(ev->peer, buf, sizeof(buf))));
		}
	}
	ctl_broadcast(d->ctl, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}
