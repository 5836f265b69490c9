#pragma once
// Plain records exchanged between the domain layer and storage. Times are Unix seconds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nestbox::storage {

struct SettingRecord {
  std::string name;
  std::string framework;  // "eyfs" or "cfe"
  bool passwordRequireMixed = false;
  int passwordMaxAgeDays = 0;  // 0: passwords do not expire
  int idleMinutesManager = 15;
  int idleMinutesStaff = 5;  // shared tablets (policy 004)
  int idleMinutesParent = 30;
  int rememberDays = 90;  // how long a family's remembered phone stays signed in (30-180)
  int absoluteHoursManager = 12;
  int absoluteHoursStaff = 12;
  int absoluteHoursParent = 168;
  int agreementVersion = 1;
  std::string agreementText;  // empty: the default parent agreement
  // After redaction the unredacted original is deleted (the policies' default); a setting
  // may keep it, seen by staff only.
  bool keepUnredactedOriginals = false;
  // A covered person's area grows by this share of its size on every side (issue 32), so an
  // outline or a sleeve at the edge goes too.
  int redactionMarginPct = 10;
  // Managers may sign in from outside the setting's network to read the journal and the
  // to-do home (issue 31); off by default. Staff never can.
  bool outsideManagerRead = false;
  // Networks staff may upload from (security/subnets.hpp form): the staff Wi-Fi, not the guests'.
  std::string secureSubnets = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, fc00::/7, ::1/128";
  // Every day, week and term is this zone's (an IANA name; domain/calendar.hpp).
  std::string timeZone = "Europe/London";
  // Space kept free on the data disk for the database and the box itself: uploads stop
  // before they would take it (issue 14). 0: the larger of 2 GiB and 5 % of the disk.
  int64_t storageReserveMiB = 0;
  // How long a family invitation code works (issue 16).
  int invitationDays = 14;
  // From this day each year ("MM-DD"), families are asked to download their child's journal
  // until they have (policy 000; issue 20). Empty: no reminder.
  std::string exportReminderOn;
  // A leaver's family reads and downloads for this many days after the leaving date; the
  // journal is then archived (families no longer see it) and erased this many days later,
  // unless a manager restores it (issue 21).
  int leaverReadDays = 90;
  int leaverArchiveDays = 90;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct UserRecord {
  std::string id;
  std::string username;
  std::string displayName;
  std::optional<std::string> email;
  std::string role;  // "manager", "staff" or "parent"
  std::string passwordHash;
  int64_t passwordChangedAt = 0;
  bool mustChangePassword = false;
  std::optional<std::string> pinHash;
  int pinFailures = 0;  // wrong PINs since the last password sign-in; 5 switch the PIN off
  bool active = true;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct UserQuery {
  std::optional<std::string> role;
  std::optional<bool> active;
};

struct PasswordResetRecord {
  std::string userId;
  std::string codeHash;
  int64_t expiresAt = 0;
  std::string issuedBy;
};

struct SessionRecord {
  std::string id;         // public handle; safe to show the user
  std::string tokenHash;  // SHA-256 of the cookie value; the value itself is never stored
  std::string userId;
  std::string csrfToken;
  int64_t createdAt = 0;
  int64_t lastSeenAt = 0;
  std::string address;
  std::string userAgent;
  std::optional<int64_t> endedAt;
  std::optional<std::string> endReason;
  std::optional<std::string> deviceId;  // the registered device it was opened on, if any
  std::optional<int64_t> deviceProvenAt;  // when that device last signed a challenge for it
  std::optional<std::string> childViewChildId;  // set while the tablet shows one child's journal
  // A remembered phone (issue 32): the public half (base64 SPKI) of the key the phone made for
  // it, which must sign a challenge before each new token; the session ends at rememberUntil.
  std::optional<std::string> rememberKey{};
  int64_t rememberUntil = 0;
  int64_t rotatedAt = 0;        // when its token was last replaced (creation, then each renewal)
  int64_t authenticatedAt = 0;  // when its person last gave their password
  std::optional<std::string> rememberChallengeHash{};  // SHA-256 of the one open challenge
  bool remembered() const { return rememberKey.has_value(); }
};

struct ThrottleRecord {
  std::string key;
  int failures = 0;
  int64_t windowStart = 0;
  int64_t lockedUntil = 0;
};

struct AuditRecord {
  int64_t seq = 0;  // assigned by storage, increasing
  int64_t at = 0;
  std::string event;  // an id from the event catalogue
  std::optional<std::string> actorId;
  std::optional<std::string> actorName;
  std::optional<std::string> address;
  std::optional<std::string> deviceId;
  std::optional<std::string> targetType;
  std::optional<std::string> targetId;
  std::string detail = "{}";  // JSON object
};

struct AuditQuery {
  std::optional<std::string> event;
  std::optional<std::string> actorId;
  std::optional<int64_t> since;  // inclusive
  std::optional<int64_t> until;  // exclusive
  std::optional<int64_t> beforeSeq;  // cursor: entries older than this
  int limit = 50;
};

}  // namespace nestbox::storage
