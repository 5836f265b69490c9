#include "domain/settings.hpp"

#include <algorithm>

#include "domain/calendar.hpp"
#include "domain/errors.hpp"

namespace nestbox::domain {

bool isKnownFramework(const std::string& framework) { return framework == "eyfs" || framework == "cfe"; }

std::optional<std::string> checkSettingName(const std::string& name) {
  if (name.empty() || name.size() > 120) return "Give the setting a name of 1 to 120 characters.";
  return std::nullopt;
}

std::shared_ptr<const storage::SettingRecord> SettingsService::snapshot() {
  std::lock_guard lock(mutex_);
  if (!loaded_) {
    if (auto record = ctx_.store.setting()) cache_ = std::make_shared<const storage::SettingRecord>(std::move(*record));
    loaded_ = cache_ != nullptr;
  }
  return cache_;
}

std::optional<storage::SettingRecord> SettingsService::current() {
  const auto s = snapshot();
  if (!s) return std::nullopt;
  return *s;
}

void SettingsService::save(const storage::SettingRecord& record) {
  ctx_.store.saveSetting(record);
  std::lock_guard lock(mutex_);
  cache_.reset();
  loaded_ = false;
}

storage::SettingRecord SettingsService::update(const Principal& actor, const SettingsChange& c) {
  if (actor.role != Role::manager) {
    throw DomainError(ErrorKind::forbidden, "manager_only", "Only a manager can change the setting.");
  }
  auto record = current();
  if (!record) throw DomainError(ErrorKind::notFound, "not_set_up", "The box has not been set up yet.");
  Json changed = Json::object();
  if (c.name) {
    if (auto problem = checkSettingName(*c.name)) throw DomainError(ErrorKind::invalid, "invalid", *problem, "name");
    changed["name"] = *c.name;
    record->name = *c.name;
  }
  if (c.framework) {
    if (!isKnownFramework(*c.framework)) {
      throw DomainError(ErrorKind::invalid, "invalid", "Choose EYFS (eyfs) or Curriculum for Excellence (cfe).",
                        "framework");
    }
    changed["framework"] = *c.framework;
    record->framework = *c.framework;
  }
  auto apply = [&](const std::optional<int>& value, int& target, const char* field, int min, int max) {
    if (!value) return;
    if (*value < min || *value > max) {
      throw DomainError(ErrorKind::invalid, "invalid",
                        std::string(field) + " must be from " + std::to_string(min) + " to " +
                            std::to_string(max) + ".",
                        field);
    }
    changed[field] = *value;
    target = *value;
  };
  if (c.passwordRequireMixed) {
    changed["password_require_mixed"] = *c.passwordRequireMixed;
    record->passwordRequireMixed = *c.passwordRequireMixed;
  }
  if (c.keepUnredactedOriginals) {
    changed["keep_unredacted_originals"] = *c.keepUnredactedOriginals;
    record->keepUnredactedOriginals = *c.keepUnredactedOriginals;
  }
  if (c.outsideManagerRead) {
    changed["outside_manager_read"] = *c.outsideManagerRead;
    record->outsideManagerRead = *c.outsideManagerRead;
  }
  if (c.secureSubnets) {
    std::optional<security::SubnetListError> error;
    const auto subnets = security::parseSubnetList(*c.secureSubnets, error);
    if (error) throw DomainError(ErrorKind::invalid, "invalid", error->message, "secure_subnets");
    if (subnets.empty()) {
      throw DomainError(ErrorKind::invalid, "invalid",
                        "List at least one network, such as the staff Wi-Fi (e.g. 192.168.10.0/24).", "secure_subnets");
    }
    record->secureSubnets = security::formatSubnetList(subnets);
    changed["secure_subnets"] = record->secureSubnets;
  }
  if (c.timeZone) {
    if (!Calendar::knownZone(*c.timeZone)) {
      throw DomainError(ErrorKind::invalid, "invalid",
                        "Choose a time zone by its name, e.g. Europe/London or Europe/Dublin.", "time_zone");
    }
    record->timeZone = *c.timeZone;
    changed["time_zone"] = record->timeZone;
  }
  if (c.storageReserveMiB) {
    if (*c.storageReserveMiB < 0 || *c.storageReserveMiB > (1LL << 22)) {
      throw DomainError(ErrorKind::invalid, "invalid",
                        "Give the space to keep free in MiB (0 for the default: 2 GiB or 5 % of the disk, whichever is larger).",
                        "storage_reserve_mib");
    }
    record->storageReserveMiB = *c.storageReserveMiB;
    changed["storage_reserve_mib"] = record->storageReserveMiB;
  }
  if (c.exportReminderOn) {
    if (!c.exportReminderOn->empty() && !parseMonthDay(*c.exportReminderOn)) {
      throw DomainError(ErrorKind::invalid, "invalid",
                        "Give the reminder date as month and day, e.g. 07-15 for 15 July, or leave it empty for none.",
                        "export_reminder_on");
    }
    record->exportReminderOn = *c.exportReminderOn;
    changed["export_reminder_on"] = record->exportReminderOn;
  }
  apply(c.passwordMaxAgeDays, record->passwordMaxAgeDays, "password_max_age_days", 0, 3650);
  apply(c.invitationDays, record->invitationDays, "invitation_days", 1, 90);
  apply(c.redactionMarginPct, record->redactionMarginPct, "redaction_margin_pct", 0, 50);
  apply(c.rememberDays, record->rememberDays, "remember_days", 30, 180);
  apply(c.leaverReadDays, record->leaverReadDays, "leaver_read_days", 7, 365);
  apply(c.leaverArchiveDays, record->leaverArchiveDays, "leaver_archive_days", 7, 365);
  apply(c.idleMinutesManager, record->idleMinutesManager, "idle_minutes_manager", 1, 240);
  apply(c.idleMinutesStaff, record->idleMinutesStaff, "idle_minutes_staff", 1, 240);
  apply(c.idleMinutesParent, record->idleMinutesParent, "idle_minutes_parent", 1, 1440);
  apply(c.absoluteHoursManager, record->absoluteHoursManager, "absolute_hours_manager", 1, 24);
  apply(c.absoluteHoursStaff, record->absoluteHoursStaff, "absolute_hours_staff", 1, 24);
  apply(c.absoluteHoursParent, record->absoluteHoursParent, "absolute_hours_parent", 1, 720);
  record->updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    ctx_.store.saveSetting(*record);
    ctx_.audit.record(Event::SettingsChanged, AuditActor::of(actor), AuditTarget{"setting", "1"}, changed);
  });
  std::lock_guard lock(mutex_);
  cache_ = std::make_shared<const storage::SettingRecord>(*record);
  loaded_ = true;
  return *record;
}

namespace {
const storage::SettingRecord& orDefaults(const std::shared_ptr<const storage::SettingRecord>& s) {
  static const storage::SettingRecord defaults;
  return s ? *s : defaults;
}
}  // namespace

int SettingsService::idleMinutesFor(Role role) {
  const auto p = snapshot();
  const auto& s = orDefaults(p);
  return role == Role::manager ? s.idleMinutesManager : role == Role::staff ? s.idleMinutesStaff : s.idleMinutesParent;
}

int SettingsService::absoluteHoursFor(Role role) {
  const auto p = snapshot();
  const auto& s = orDefaults(p);
  return role == Role::manager ? s.absoluteHoursManager
         : role == Role::staff ? s.absoluteHoursStaff
                               : s.absoluteHoursParent;
}

security::PasswordRules SettingsService::passwordRules() { return {orDefaults(snapshot()).passwordRequireMixed}; }

int SettingsService::passwordMaxAgeDays() { return orDefaults(snapshot()).passwordMaxAgeDays; }

int SettingsService::agreementVersion() { return orDefaults(snapshot()).agreementVersion; }
bool SettingsService::outsideManagerRead() { return orDefaults(snapshot()).outsideManagerRead; }

int SettingsService::redactionMarginPct() { return orDefaults(snapshot()).redactionMarginPct; }
int SettingsService::rememberDays() { return orDefaults(snapshot()).rememberDays; }

bool SettingsService::isSecureAddress(const std::string& address) {
  std::optional<security::SubnetListError> error;
  // Parsed per call: uploads are rare next to their bytes, and the list is short.
  return security::inAnySubnet(address, security::parseSubnetList(orDefaults(snapshot()).secureSubnets, error));
}

Calendar SettingsService::calendar() {
  const auto record = snapshot();
  // A zone the tz database no longer knows (tzdata removed one) falls back to the default
  // rather than stopping the box.
  if (record && Calendar::knownZone(record->timeZone)) return Calendar(record->timeZone);
  return Calendar(kDefaultTimeZone);
}

std::string SettingsService::today(int64_t now) { return calendar().dateOf(now); }

int64_t SettingsService::storageReserve(int64_t totalBytes) {
  const auto record = snapshot();
  if (record && record->storageReserveMiB > 0) return record->storageReserveMiB << 20;
  return std::max<int64_t>(2LL << 30, totalBytes / 20);
}

}  // namespace nestbox::domain
