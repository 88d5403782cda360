/*
 * earshot-retain: a mosquitto 2.0 plugin that lets a client publish *retained* only to the
 * Earshot topics the protocol retains (docs/protocol.md, "Topics"):
 *
 *     {prefix}/agents/{agent}/status      the agent's birth message and last will
 *     {prefix}/agents/{agent}/desired     the hub's desired state for an agent
 *     {prefix}/models/{family}/{version}  the hub's signed model artifacts
 *     {prefix}/alarms/{kind}/{subject}    the hub's alarm state
 *
 * Any other retained PUBLISH (an agent's verdicts, clips or events, the hub's acks, or a
 * topic outside the scheme) is refused: MQTT 5 clients get PUBACK "Not authorized", and the
 * message is neither stored nor delivered. mosquitto's acl_file cannot express this (it has
 * read/write rules only), hence the plugin.
 *
 * The plugin decides nothing else. For every other check (reads, subscriptions, publishes
 * without the retain flag, retained publishes to the three topics above) it answers
 * MOSQ_ERR_PLUGIN_DEFER, and mosquitto goes on to the acl_file, which decides who may write
 * which topic at all. In mosquitto 2.0 plugins loaded with `plugin` register their
 * MOSQ_EVT_ACL_CHECK callbacks before the acl_file's built-in check is registered, and the
 * first callback that does not defer decides: so a refusal here stands, and a deferral leaves
 * the acl_file in charge. The rule is on topics, not user names: who may write `desired` and
 * `models` is the acl_file's business (only the hub's rollout users may), so the hub's user
 * names are not repeated here.
 *
 * The prefix is matched by its shape only (the last three topic levels), so the plugin works
 * with any `topic_prefix`, with or without `{site}`.
 *
 * Refusals are logged at notice level, at most one line per 10 s, with the number refused
 * since the previous line (a client repeating the publish in a loop cannot flood the log).
 *
 * Build: deploy/mosquitto/build-plugin (needs a C compiler and Debian's mosquitto-dev).
 * Load:  `plugin /usr/local/lib/earshot/earshot-retain.so` in mosquitto.conf.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

/* The plugin API version this file is written against (mosquitto 2.0). */
#define EARSHOT_PLUGIN_API_VERSION 5

/* Shortest interval between two "refused" log lines, in seconds. */
#define EARSHOT_LOG_INTERVAL_S 10

/* Refusals not yet logged, and when the last line was written (mosquitto runs the callbacks
 * of one broker on one thread, so plain statics suffice). */
static unsigned long unlogged_refusals = 0;
static time_t last_log = 0;

/* True when `level` (not NUL-terminated, `length` bytes) equals the string `word`. */
static bool level_is(const char *level, size_t length, const char *word)
{
    return strlen(word) == length && memcmp(level, word, length) == 0;
}

/*
 * True when `topic` is one the protocol retains: its last three levels are
 * agents/{agent}/status, agents/{agent}/desired, models/{family}/{version} or
 * alarms/{kind}/{subject}, with a
 * non-empty middle level.
 */
static bool may_be_retained(const char *topic)
{
    /* Find the starts of the last three levels, scanning back from the end. */
    const char *starts[3];
    size_t lengths[3];
    const char *end = topic + strlen(topic);
    for (int i = 2; i >= 0; i--) {
        const char *start = end;
        while (start > topic && start[-1] != '/') {
            start--;
        }
        starts[i] = start;
        lengths[i] = (size_t)(end - start);
        if (i > 0) {
            if (start == topic) {
                return false; /* fewer than three levels */
            }
            end = start - 1; /* the '/' before this level */
        }
    }
    if (lengths[1] == 0) {
        return false;
    }
    if (level_is(starts[0], lengths[0], "agents")) {
        return level_is(starts[2], lengths[2], "status") || level_is(starts[2], lengths[2], "desired");
    }
    return (level_is(starts[0], lengths[0], "models") || level_is(starts[0], lengths[0], "alarms")) && lengths[2] > 0;
}

static void log_refusal(const struct mosquitto_evt_acl_check *event)
{
    unlogged_refusals++;
    time_t now = time(NULL);
    if (last_log != 0 && now >= last_log && now - last_log < EARSHOT_LOG_INTERVAL_S) {
        return;
    }
    const char *username = mosquitto_client_username(event->client);
    const char *client_id = mosquitto_client_id(event->client);
    mosquitto_log_printf(MOSQ_LOG_NOTICE,
        "earshot-retain: refused a retained PUBLISH to '%s' from client '%s' (user '%s'); "
        "%lu retained PUBLISH refused since the last note",
        event->topic, client_id ? client_id : "", username ? username : "", unlogged_refusals);
    unlogged_refusals = 0;
    last_log = now;
}

static int on_acl_check(int event_kind, void *event_data, void *userdata)
{
    (void)event_kind;
    (void)userdata;
    const struct mosquitto_evt_acl_check *event = event_data;
    if (event->access != MOSQ_ACL_WRITE || !event->retain || may_be_retained(event->topic)) {
        return MOSQ_ERR_PLUGIN_DEFER;
    }
    log_refusal(event);
    return MOSQ_ERR_ACL_DENIED;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
    for (int i = 0; i < supported_version_count; i++) {
        if (supported_versions[i] == EARSHOT_PLUGIN_API_VERSION) {
            return EARSHOT_PLUGIN_API_VERSION;
        }
    }
    return -1;
}

/*
 * With per_listener_settings true mosquitto loads the plugin once per listener that names it,
 * each time with its own identifier; the identifier is kept as this instance's userdata.
 */
int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **userdata, struct mosquitto_opt *options,
    int option_count)
{
    (void)options;
    if (option_count != 0) {
        mosquitto_log_printf(MOSQ_LOG_ERR, "earshot-retain: takes no plugin_opt_ options");
        return MOSQ_ERR_INVAL;
    }
    *userdata = identifier;
    int rc = mosquitto_callback_register(identifier, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL, NULL);
    if (rc == MOSQ_ERR_SUCCESS) {
        mosquitto_log_printf(MOSQ_LOG_INFO,
            "earshot-retain: retained PUBLISH allowed only to agents/+/status, agents/+/desired, models/+/+, alarms/+/+");
    }
    return rc;
}

int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *options, int option_count)
{
    (void)options;
    (void)option_count;
    return mosquitto_callback_unregister(userdata, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL);
}
