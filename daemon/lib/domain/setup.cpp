#include "domain/setup.hpp"

#include <string_view>

#include "core/log.hpp"
#include "domain/errors.hpp"
#include "security/tokens.hpp"
#include "system/files.hpp"

namespace nestbox::domain {
namespace {
constexpr const char* kCodeKey = "setup_code_sha256";
// The code file's first line is this, then the code (read back at the next start).
constexpr std::string_view kCodeLine = "Nestbox one-time setup code: ";
const ThrottlePolicy kSetupThrottle{10, 15 * 60, 15 * 60};
}  // namespace

std::optional<std::string> SetupService::prepare(const std::string& codeFile) {
  if (complete()) {
    system::removeFileIfExists(codeFile);
    return std::nullopt;
  }
  // A restart keeps the code while its file is there: on a Pi the manager may power the box
  // off to read setup-code.txt from the card, and the code read must still work. Removing the
  // file (or a code that no longer matches) makes a new one.
  const auto stored = ctx_.store.boxValue(kCodeKey);
  if (stored && system::fileExists(codeFile)) {
    const std::string text = system::readFile(codeFile);
    if (text.starts_with(kCodeLine)) {
      const std::string shown = text.substr(kCodeLine.size(), text.find('\n') - kCodeLine.size());
      if (security::constantTimeEquals(*stored, security::sha256Hex(security::normaliseCode(shown)))) {
        logEvent(Event::SetupCodeKept, {{"file", codeFile}});
        return shown;
      }
    }
  }
  const std::string code = ctx_.random.base32(10);  // 80 bits
  ctx_.store.setBoxValue(kCodeKey, security::sha256Hex(code));
  const std::string shown = security::groupCode(code);
  system::writeFileAtomic(codeFile,
                          std::string(kCodeLine) + shown +
                              "\nEnter it on the setup page to create the setting and its first manager.\n",
                          0600);
  logEvent(Event::SetupCodeCreated, {{"file", codeFile}});
  return shown;
}

void SetupService::checkCode(const std::string& code, const RequestOrigin& origin, const std::string& codeFile) {
  if (complete()) throw DomainError(ErrorKind::gone, "setup_complete", "This box is already set up. Sign in instead.");
  const int64_t now = ctx_.clock.now();
  const std::string throttleKey = "setup:" + origin.address;
  if (auto wait = ctx_.throttle.lockedFor(throttleKey, now)) {
    throw DomainError(ErrorKind::throttled, "throttled", "Too many wrong setup codes. Wait a few minutes.", "", *wait);
  }
  const auto expected = ctx_.store.boxValue(kCodeKey);
  if (!expected || !security::constantTimeEquals(*expected, security::sha256Hex(security::normaliseCode(code)))) {
    ctx_.throttle.recordFailure(throttleKey, kSetupThrottle, now);
    ctx_.audit.record(Event::SetupCodeRejected, AuditActor::anonymous(origin));
    throw DomainError(ErrorKind::unauthenticated, "invalid_setup_code",
                      "That setup code is not right. It is shown on the box's console and in the file " +
                          codeFile + ".",
                      "code");
  }
}

storage::UserRecord SetupService::run(const SetupRequest& r, const RequestOrigin& origin,
                                      const std::string& codeFile) {
  checkCode(r.code, origin, codeFile);
  const int64_t now = ctx_.clock.now();
  auto invalid = [](const std::string& field, const std::string& message) {
    return DomainError(ErrorKind::invalid, "invalid", message, field);
  };
  if (auto p = checkSettingName(r.settingName)) throw invalid("setting_name", *p);
  if (!isKnownFramework(r.framework)) {
    throw invalid("framework", "Choose EYFS (eyfs) or Curriculum for Excellence (cfe).");
  }
  if (auto p = checkUsername(r.username)) throw invalid("username", *p);
  if (auto p = checkDisplayName(r.displayName)) throw invalid("display_name", *p);
  if (r.email && !r.email->empty()) {
    if (auto p = checkEmail(*r.email)) throw invalid("email", *p);
  }
  if (auto p = security::checkPassword(r.password, {}, {r.username, r.displayName, r.settingName})) {
    throw invalid("password", *p);
  }
  if (r.pin) {
    if (auto p = security::checkPin(*r.pin)) throw invalid("pin", *p);
  }
  clock_.confirmAtSetup(r.confirmedNow, origin);

  storage::UserRecord manager;
  manager.id = newId(ctx_.random);
  manager.username = r.username;
  manager.displayName = r.displayName;
  manager.email = r.email && !r.email->empty() ? r.email : std::nullopt;
  manager.role = roleName(Role::manager);
  manager.passwordHash = ctx_.hasher.hash(r.password);
  if (r.pin) manager.pinHash = ctx_.hasher.hash(*r.pin);
  manager.createdAt = manager.updatedAt = manager.passwordChangedAt = now;

  storage::SettingRecord setting;
  setting.name = r.settingName;
  setting.framework = r.framework;
  setting.createdAt = setting.updatedAt = now;

  ctx_.store.transaction([&] {
    // Re-checked inside the transaction: two requests with the right code race here, one wins.
    if (ctx_.store.setting()) {
      throw DomainError(ErrorKind::gone, "setup_complete", "This box is already set up. Sign in instead.");
    }
    settings_.save(setting);
    ctx_.store.insertUser(manager);
    ctx_.store.deleteBoxValue(kCodeKey);
    ctx_.audit.record(Event::SetupCompleted, {manager.id, manager.username, origin.address, {}},
                      AuditTarget{"setting", "1"}, {{"setting_name", r.settingName}, {"framework", r.framework}});
  });
  ctx_.throttle.clear("setup:" + origin.address);
  system::removeFileIfExists(codeFile);
  return manager;
}

}  // namespace nestbox::domain
