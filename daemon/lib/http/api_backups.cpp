// The Backups part of the API (issue 19): the managers' Backups screen and the setup page's
// "Restore from a backup". Every action that needs the root-run backup agent answers 202 with
// the request, which the page follows at .../requests/:id until it is done or failed.

#include "domain/errors.hpp"
#include "http/api.hpp"
#include "http/backup_json.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

Response accepted(const system::AgentReply& r) { return Response::json(202, {{"request", agentReplyJson(r)}}); }

// {"kind": "usb"} or {"kind": "directory", "path": "/srv/backups"}.
domain::BackupTarget readTarget(JsonReader& in) {
  const auto object = in.optionalObject("target");
  if (!object) throw InputError("target", "Say where backups go: {\"kind\": \"usb\"} or {\"kind\": \"directory\", \"path\": \"/...\"}.");
  JsonReader t(*object);
  domain::BackupTarget target;
  target.kind = t.requiredString("kind", 1, 16);
  if (target.kind == "directory") target.path = t.requiredString("path", 1, 200);
  t.finish();
  return target;  // checked by BackupService, for every caller
}

}  // namespace

std::vector<Api::RouteDef> Api::backupRoutes() {
  using enum Audience;
  return {
      {"GET", "/api/v1/backups", {.audience = manager}, &Api::backupStatus},
      {"POST", "/api/v1/backups/disks", {.audience = manager}, &Api::listBackupDisks},
      {"POST", "/api/v1/backups/disks/prepare", {.audience = manager}, &Api::prepareBackupDisk},
      {"POST", "/api/v1/backups/setup", {.audience = manager}, &Api::beginBackupSetup},
      {"POST", "/api/v1/backups/setup/confirm", {.audience = manager}, &Api::confirmBackupSetup},
      {"POST", "/api/v1/backups/target", {.audience = manager}, &Api::changeBackupTarget},
      {"POST", "/api/v1/backups/test", {.audience = manager}, &Api::testBackupTarget},
      {"POST", "/api/v1/backups/run", {.audience = manager}, &Api::backUpNow},
      {"PUT", "/api/v1/backups/schedule", {.audience = manager}, &Api::setBackupSchedule},
      {"POST", "/api/v1/backups/snapshots", {.audience = manager}, &Api::listBackupSnapshots},
      {"GET", "/api/v1/backups/requests/:id", {.audience = manager}, &Api::backupRequest},
      // A box not yet set up: the setup code is the key to these (checked and throttled as
      // setup's own); the request id, 128 random bits, to the answer. The answer stays open
      // during a lockdown: the data just restored may have been backed up in one.
      {"POST", "/api/v1/setup/restore/disks", {.audience = open}, &Api::restoreDisks},
      {"POST", "/api/v1/setup/restore/snapshots", {.audience = open}, &Api::restoreSnapshots},
      {"POST", "/api/v1/setup/restore", {.audience = open}, &Api::restoreFromBackup},
      {"GET", "/api/v1/setup/restore/requests/:id", {.audience = open, .lockdownOpen = true}, &Api::restoreRequest},
  };
}

Response Api::backupStatus(Call& call) {
  return Response::json(200, {{"backups", backupStatusJson(s_.backups.status(call.who()))}});
}

Response Api::listBackupDisks(Call& call) {
  if (!call.request.body.empty()) readBody(call.request);
  return accepted(s_.backups.listDisks(call.who()));
}

Response Api::prepareBackupDisk(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto device = in.requiredString("device", 1, 64);
  const auto confirm = in.requiredString("confirm", 1, 200);
  in.finish();
  return accepted(s_.backups.prepareDisk(call.who(), device, confirm));
}

Response Api::beginBackupSetup(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto target = readTarget(in);
  const auto time = in.optionalString("time", 1, 5).value_or("02:00");
  in.finish();
  const auto k = s_.backups.beginSetup(call.who(), target, time);
  auto r = Response::json(201, {{"setup", {{"id", k.id},
                                           {"key", k.key},
                                           {"groups", 8},
                                           {"confirm_groups", k.confirmGroups},
                                           {"expires_at", system::formatTimestamp(k.expiresAt)}}}});
  r.withHeader("Cache-Control", "no-store");  // shown once: never kept by a browser or proxy
  return r;
}

Response Api::confirmBackupSetup(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto id = in.requiredString("id", 1, 64);
  const auto typed = in.requiredSecret("typed", 1, 64);
  in.finish();
  return accepted(s_.backups.confirmSetup(call.who(), id, typed));
}

Response Api::changeBackupTarget(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto target = readTarget(in);
  in.finish();
  return accepted(s_.backups.changeTarget(call.who(), target));
}

Response Api::testBackupTarget(Call& call) {
  if (!call.request.body.empty()) readBody(call.request);
  return accepted(s_.backups.test(call.who()));
}

Response Api::backUpNow(Call& call) {
  if (!call.request.body.empty()) readBody(call.request);
  return accepted(s_.backups.backUpNow(call.who()));
}

Response Api::setBackupSchedule(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto time = in.requiredString("time", 1, 5);
  in.finish();
  s_.backups.setTime(call.who(), time);
  return Response::json(200, {{"backups", backupStatusJson(s_.backups.status(call.who()))}});
}

Response Api::listBackupSnapshots(Call& call) {
  if (!call.request.body.empty()) readBody(call.request);
  return accepted(s_.backups.listSnapshots(call.who()));
}

Response Api::backupRequest(Call& call) {
  return Response::json(200, {{"request", agentReplyJson(s_.backups.request(call.who(), call.params.at("id")))}});
}

Response Api::restoreDisks(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto code = in.requiredString("code", 1, 64);
  in.finish();
  return accepted(s_.backups.restoreDisks(code, call.origin));
}

Response Api::restoreSnapshots(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto code = in.requiredString("code", 1, 64);
  const auto target = readTarget(in);
  const auto key = in.requiredSecret("key", 1, 200);
  in.finish();
  return accepted(s_.backups.restoreSnapshots(code, target, key, call.origin));
}

Response Api::restoreFromBackup(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto code = in.requiredString("code", 1, 64);
  const auto target = readTarget(in);
  const auto key = in.requiredSecret("key", 1, 200);
  const auto snapshot = in.requiredString("snapshot", 1, 64);
  in.finish();
  return accepted(s_.backups.restore(code, target, key, snapshot, call.origin));
}

Response Api::restoreRequest(Call& call) {
  return Response::json(200, {{"request", agentReplyJson(s_.backups.setupRequest(call.params.at("id")))}});
}

}  // namespace nestbox::http
