#pragma once
// Backups as JSON, shared by the managers' home and the Backups part of the API.

#include "core/json_input.hpp"
#include "domain/backup_service.hpp"
#include "domain/backups.hpp"
#include "system/backup_agent.hpp"

namespace nestbox::http {

// The state and the latest runs and verifications: "last_check" is the latest weekly check,
// "last_test_restore" the latest monthly test restore, "last_verification" whichever is newer
// (the one the "check_failed" state is about).
Json backupOverviewJson(const domain::BackupOverview& overview);
// The Backups screen: the overview with the target, the time, the next backup and any
// request still waiting.
Json backupStatusJson(const domain::BackupStatus& status);
// A request to the backup agent and its answer so far.
Json agentReplyJson(const system::AgentReply& reply);

}  // namespace nestbox::http
