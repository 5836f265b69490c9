#pragma once
// The one catalogue of every event Nestbox logs or audits (Kea-style message ids).
//
// Every log line and every audit-log row names one of these ids, so IT support can grep
// for an id, and managers can filter the audit log by it. Adding an event means adding a
// line here; ids are stable strings and must never be renamed once released.

#include <optional>
#include <string_view>
#include <vector>

namespace nestbox {

enum class Severity { debug, info, warning, error };

// X(Enum, "STABLE_ID", severity, audited, "what it means")
#define NESTBOX_EVENTS(X)                                                                         \
  X(DaemonStarting, "NBX_DAEMON_STARTING", info, false, "daemon process starting")                \
  X(DaemonReady, "NBX_DAEMON_READY", info, false, "daemon is serving requests")                    \
  X(DaemonStopping, "NBX_DAEMON_STOPPING", info, false, "stop requested; draining requests")       \
  X(DaemonStopped, "NBX_DAEMON_STOPPED", info, false, "daemon stopped cleanly")                    \
  X(DaemonFatal, "NBX_DAEMON_FATAL", error, false, "daemon cannot continue")                       \
  X(ConfigLoaded, "NBX_CONFIG_LOADED", info, false, "configuration loaded")                        \
  X(TestClockActive, "NBX_TEST_CLOCK_ACTIVE", warning, false, "a test clock offset file is in use") \
  X(WatchdogEnabled, "NBX_WATCHDOG_ENABLED", info, false, "service manager watchdog pings on")     \
  X(DatabaseOpened, "NBX_DB_OPENED", info, false, "database opened")                               \
  X(DatabaseMigrated, "NBX_DB_MIGRATED", info, false, "database schema migrated")                  \
  X(DatabaseClosed, "NBX_DB_CLOSED", info, false, "database closed")                               \
  X(TlsCaCreated, "NBX_TLS_CA_CREATED", info, true, "box certificate authority created")           \
  X(TlsServerCertIssued, "NBX_TLS_CERT_ISSUED", info, true, "server certificate issued")           \
  X(PublicCertRequested, "NBX_PUBLIC_CERT_REQUESTED", info, false, "public name's certificate asked of the ACME agent (none, or renewal due)") \
  X(PublicCertRenewed, "NBX_PUBLIC_CERT_RENEWED", info, true, "public name's certificate obtained from the ACME CA") \
  X(PublicCertFailed, "NBX_PUBLIC_CERT_FAILED", warning, true, "public name's certificate could not be obtained or renewed") \
  X(SetupCodeCreated, "NBX_SETUP_CODE_CREATED", info, false, "one-time setup code created")        \
  X(SetupCompleted, "NBX_SETUP_COMPLETED", info, true, "setting and first manager created")        \
  X(SetupCodeRejected, "NBX_SETUP_CODE_REJECTED", warning, true, "wrong setup code presented")     \
  X(SetupCodeKept, "NBX_SETUP_CODE_KEPT", info, false, "setup code of the last start kept (its file is there)") \
  X(ClockSetRequested, "NBX_CLOCK_SET_REQUESTED", warning, true, "clock correction asked for at setup") \
  X(ClockBelowFloor, "NBX_CLOCK_BELOW_FLOOR", warning, false, "clock is before the build time")     \
  X(SignInSucceeded, "NBX_AUTH_SIGNIN_OK", info, true, "sign-in succeeded")                        \
  X(SignInFailed, "NBX_AUTH_SIGNIN_FAILED", warning, true, "sign-in failed")                       \
  X(SignInOutside, "NBX_AUTH_SIGNIN_OUTSIDE", info, true, "sign-in from outside the setting's network (relay or public name)") \
  X(OutsideRefused, "NBX_OUTSIDE_REFUSED", warning, true, "refused from outside the setting's network (staff, a closed area, or lockdown)") \
  X(AccountLockedOut, "NBX_AUTH_ACCOUNT_LOCKED", warning, true, "account temporarily locked")      \
  X(AddressThrottled, "NBX_AUTH_ADDRESS_THROTTLED", warning, true, "address temporarily blocked")  \
  X(SignedOut, "NBX_AUTH_SIGNOUT", info, true, "signed out")                                      \
  X(SessionEnded, "NBX_SESSION_ENDED", info, true, "a session was ended by its user")              \
  X(CsrfRejected, "NBX_CSRF_REJECTED", warning, true, "state-changing request without CSRF proof") \
  X(AccountCreated, "NBX_ACCOUNT_CREATED", info, true, "account created")                          \
  X(AccountUpdated, "NBX_ACCOUNT_UPDATED", info, true, "account changed")                          \
  X(AccountDeactivated, "NBX_ACCOUNT_DEACTIVATED", info, true, "account deactivated")              \
  X(AccountReactivated, "NBX_ACCOUNT_REACTIVATED", info, true, "account reactivated")              \
  X(PasswordChanged, "NBX_PASSWORD_CHANGED", info, true, "password changed by its owner")          \
  X(PasswordResetIssued, "NBX_PASSWORD_RESET_ISSUED", info, true, "one-time reset code issued")    \
  X(PasswordResetUsed, "NBX_PASSWORD_RESET_USED", info, true, "password set with a reset code")    \
  X(PasswordResetRejected, "NBX_PASSWORD_RESET_REJECTED", warning, true, "bad reset code")         \
  X(PinSet, "NBX_PIN_SET", info, true, "staff PIN set")                                           \
  X(SettingsChanged, "NBX_SETTINGS_CHANGED", info, true, "setting configuration changed")          \
  X(AccessDenied, "NBX_ACCESS_DENIED", warning, true, "request refused for lack of permission")    \
  X(RoomCreated, "NBX_ROOM_CREATED", info, true, "room created")                                   \
  X(RoomChanged, "NBX_ROOM_CHANGED", info, true, "room or its release schedule changed")           \
  X(RoomReleasedEarly, "NBX_ROOM_RELEASED_EARLY", info, true, "room journal released early")       \
  X(ChildCreated, "NBX_CHILD_CREATED", info, true, "child profile created")                       \
  X(ChildChanged, "NBX_CHILD_CHANGED", info, true, "child profile changed")                       \
  X(InvitationCreated, "NBX_INVITATION_CREATED", info, true, "a child's family invited (a one-time code bound to the child)") \
  X(InvitationCancelled, "NBX_INVITATION_CANCELLED", info, true, "a family invitation cancelled") \
  X(InvitationRedeemed, "NBX_INVITATION_REDEEMED", info, true, "a family invitation used: a new parent account attached") \
  X(InvitationClaimed, "NBX_INVITATION_CLAIMED", info, true, "a family invitation claimed by an existing account; waits for a manager") \
  X(InvitationConfirmed, "NBX_INVITATION_CONFIRMED", info, true, "a manager confirmed an existing account's claim: attached") \
  X(InvitationRefused, "NBX_INVITATION_REFUSED", warning, true, "a family invitation code that does not work was tried") \
  X(CarerLinked, "NBX_CARER_LINKED", info, true, "parent account attached to a child")             \
  X(CarerUnlinked, "NBX_CARER_UNLINKED", info, true, "parent account detached from a child")       \
  X(ConsentRecorded, "NBX_CONSENT_RECORDED", info, true, "consent register changed")              \
  X(AgreementChanged, "NBX_AGREEMENT_CHANGED", info, true, "parent agreement text changed")         \
  X(AgreementAccepted, "NBX_AGREEMENT_ACCEPTED", info, true, "parent accepted the agreement")       \
  X(EntryCreated, "NBX_ENTRY_CREATED", info, true, "journal entry created")                        \
  X(EntryAmended, "NBX_ENTRY_AMENDED", info, true, "journal entry amended")                        \
  X(EntryReviewed, "NBX_ENTRY_REVIEWED", info, true, "observation reviewed by a manager")          \
  X(EntryReturned, "NBX_ENTRY_RETURNED", info, true, "entry returned to its author with a note")   \
  X(EntryDiscarded, "NBX_ENTRY_DISCARDED", info, true, "a draft never in the journal discarded, with its photos") \
  X(ContributionSubmitted, "NBX_CONTRIBUTION_SUBMITTED", info, true, "parent contribution sent")   \
  X(ContributionApproved, "NBX_CONTRIBUTION_APPROVED", info, true, "parent contribution approved") \
  X(ContributionReturned, "NBX_CONTRIBUTION_RETURNED", info, true, "parent contribution returned") \
  X(CommentHidden, "NBX_COMMENT_HIDDEN", info, true, "comment hidden by staff")                    \
  X(TemplateSaved, "NBX_TEMPLATE_SAVED", info, true, "an entry template added or changed by a manager") \
  X(TemplateDeleted, "NBX_TEMPLATE_DELETED", info, true, "an entry template deleted by a manager") \
  X(UploadCreated, "NBX_UPLOAD_CREATED", info, false, "resumable upload started")                  \
  X(UploadRejected, "NBX_UPLOAD_REJECTED", warning, true, "upload refused: type, size or limits")   \
  X(UploadTerminated, "NBX_UPLOAD_TERMINATED", info, false, "upload cancelled by its sender")       \
  X(UploadExpired, "NBX_UPLOAD_EXPIRED", info, false, "abandoned upload removed after a day")       \
  X(UploadRecovered, "NBX_UPLOAD_RECOVERED", warning, false, "upload cut back to its acknowledged bytes") \
  X(MediaReceived, "NBX_MEDIA_RECEIVED", info, true, "photo, video or document received")          \
  X(MediaProcessed, "NBX_MEDIA_PROCESSED", info, false, "media stripped and derivatives made")       \
  X(MediaFailed, "NBX_MEDIA_FAILED", warning, false, "media could not be processed")               \
  X(MediaAttached, "NBX_MEDIA_ATTACHED", info, true, "media attached to an entry with its children") \
  X(MediaRedacted, "NBX_MEDIA_REDACTED", info, true, "redacted copy made; original deleted or kept") \
  X(MediaCoveredAgain, "NBX_MEDIA_COVERED_AGAIN", info, true, "a redacted copy covered again with the setting's margin") \
  X(MediaCheckFound, "NBX_MEDIA_CHECK_FOUND", warning, false, "media check found an inconsistency")  \
  X(MediaCheckDone, "NBX_MEDIA_CHECK_DONE", info, false, "media check finished")                   \
  X(DeviceEnrolmentIssued, "NBX_DEVICE_ENROLMENT_ISSUED", info, true, "device enrolment code issued") \
  X(DeviceEnrolled, "NBX_DEVICE_ENROLLED", info, true, "device enrolled with its key")              \
  X(DeviceEnrolmentRejected, "NBX_DEVICE_ENROLMENT_REJECTED", warning, true, "wrong device enrolment code") \
  X(DeviceChanged, "NBX_DEVICE_CHANGED", info, true, "device renamed or moved")                     \
  X(DeviceRevoked, "NBX_DEVICE_REVOKED", warning, true, "device reported lost, stolen or damaged; revoked") \
  X(DeviceAlertAcknowledged, "NBX_DEVICE_ALERT_ACKNOWLEDGED", info, true, "manager acknowledged a device report") \
  X(DeviceCertificateIssued, "NBX_DEVICE_CERTIFICATE_ISSUED", info, true, "client certificate issued for a device (MDM)") \
  X(ApplianceBusReady, "NBX_DBUS_READY", info, false, "serving org.nestbox.Appliance1 on the system bus") \
  X(ApplianceBusUnavailable, "NBX_DBUS_UNAVAILABLE", warning, false, "no D-Bus interface: system bus or name unavailable") \
  X(MdnsPublished, "NBX_MDNS_PUBLISHED", info, false, "box announced on the local network (mDNS)") \
  X(MdnsUnavailable, "NBX_MDNS_UNAVAILABLE", warning, false, "no mDNS announcement: avahi-daemon or the system bus is missing; the box works, reach it by address") \
  X(MdnsNameCollision, "NBX_MDNS_NAME_COLLISION", warning, false, "another host has the box's mDNS name; an alternative is in use") \
  X(MdnsHostRenamed, "NBX_MDNS_HOST_RENAMED", info, false, "the box's host name changed; certificate names follow") \
  X(PresenceFailed, "NBX_PRESENCE_FAILED", error, false, "could not update the box's announcement or certificate names; retrying") \
  X(PanelReady, "NBX_PANEL_READY", info, false, "lockdown button and status LED watched")         \
  X(PanelUnavailable, "NBX_PANEL_UNAVAILABLE", error, false, "lockdown button or LED could not be opened") \
  X(LockdownEngaged, "NBX_LOCKDOWN_ENGAGED", warning, true, "fault lockdown engaged: sessions ended, journal closed") \
  X(LockdownUpdated, "NBX_LOCKDOWN_UPDATED", info, true, "manager posted an update to the lockdown notice") \
  X(LockdownLifted, "NBX_LOCKDOWN_LIFTED", warning, true, "fault lockdown lifted by a manager")      \
  X(LockdownLiftRefused, "NBX_LOCKDOWN_REFUSED", warning, true, "lockdown management refused (credentials or network)") \
  X(DeviceProofRejected, "NBX_DEVICE_PROOF_REJECTED", warning, true, "device proof (signed challenge) refused") \
  X(DeviceProofRenewed, "NBX_DEVICE_PROOF_RENEWED", debug, false, "session's device proof renewed")  \
  X(SignInNeedsDevice, "NBX_SIGNIN_NEEDS_DEVICE", warning, true, "staff sign-in refused: not on a registered device") \
  X(PinSignIn, "NBX_PIN_SIGNIN", info, true, "user switched in on a shared tablet with a PIN")       \
  X(PinFailed, "NBX_PIN_FAILED", warning, true, "wrong PIN on a shared tablet")                    \
  X(PinLocked, "NBX_PIN_LOCKED", warning, true, "PIN switched off after too many wrong PINs")       \
  X(SignedOutEverywhere, "NBX_SIGNED_OUT_EVERYWHERE", info, true, "user ended all their sessions") \
  X(RememberedSignIn, "NBX_SIGNIN_REMEMBERED", info, true, "a family signed in and asked their phone to be remembered") \
  X(RememberedRenewed, "NBX_SESSION_RENEWED", debug, false, "a remembered phone signed a challenge; its session token replaced") \
  X(RememberedProofRejected, "NBX_REMEMBER_PROOF_REJECTED", warning, true, "a remembered session's renewal not signed by its phone's key; the session ended") \
  X(SessionTokenReused, "NBX_SESSION_TOKEN_REUSED", warning, true, "a replaced session token was used again (copied?); every session of the account ended") \
  X(PasswordConfirmed, "NBX_PASSWORD_CONFIRMED", info, true, "password given again in a session, for an act that asks for it") \
  X(UploadRefusedNetwork, "NBX_UPLOAD_REFUSED_NETWORK", warning, true, "upload refused: not a registered device on a secure network") \
  X(JobRan, "NBX_JOB_RAN", info, true, "a periodic job ran (what it did in the detail)") \
  X(JobFailed, "NBX_JOB_FAILED", error, true, "a periodic job failed; it is tried again at its next interval") \
  X(UploadRefusedSpace, "NBX_UPLOAD_REFUSED_SPACE", warning, true, "upload refused: the data disk would drop below its reserve") \
  X(RecordingRefused, "NBX_RECORDING_REFUSED", warning, true, "journal entry refused: not a registered device on a secure network") \
  X(ChildViewEntered, "NBX_CHILD_VIEW_ENTERED", info, true, "tablet switched into one child's view") \
  X(ChildViewLeft, "NBX_CHILD_VIEW_LEFT", info, true, "tablet left child view with a staff PIN")      \
  X(ChildViewRefused, "NBX_CHILD_VIEW_REFUSED", warning, true, "child view tried to reach something else") \
  X(CameraSourceReady, "NBX_CAMERA_SOURCE_READY", info, false, "box camera source started (and how many cameras it sees)") \
  X(CameraSourceUnavailable, "NBX_CAMERA_SOURCE_UNAVAILABLE", warning, false, "box camera source could not start; capture is off") \
  X(CameraPreviewStarted, "NBX_CAMERA_PREVIEW_STARTED", info, true, "box camera preview started on a staff tablet") \
  X(CameraPreviewStopped, "NBX_CAMERA_PREVIEW_STOPPED", info, true, "box camera preview stopped (closed, idle, unplugged, lockdown)") \
  X(CameraRefusedPlace, "NBX_CAMERA_REFUSED_PLACE", warning, true, "box camera refused: not a registered device on a secure network") \
  X(CameraBusyRefused, "NBX_CAMERA_BUSY", info, false, "box camera asked for while another tablet has it") \
  X(CameraStillCaptured, "NBX_CAMERA_STILL_CAPTURED", info, true, "still taken with the box camera; it joins the media pipeline") \
  X(CameraCaptureFailed, "NBX_CAMERA_CAPTURE_FAILED", warning, true, "box camera still could not be taken") \
  X(BackupSnapshotTaken, "NBX_BACKUP_SNAPSHOT_TAKEN", info, false, "consistent copy of the database taken for a backup") \
  X(BackupSnapshotFailed, "NBX_BACKUP_SNAPSHOT_FAILED", error, false, "copy of the database for a backup failed or was damaged") \
  X(BackupDone, "NBX_BACKUP_DONE", info, true, "backup run finished: a new snapshot is in the repository") \
  X(BackupFailed, "NBX_BACKUP_FAILED", error, true, "backup run failed; the journal carries on, the last good snapshot stays") \
  X(BackupChecked, "NBX_BACKUP_CHECKED", info, true, "backups verified (weekly check or monthly test restore): sound") \
  X(ExportRequested, "NBX_EXPORT_REQUESTED", info, true, "a journal export asked for (who, which children)") \
  X(ExportReady, "NBX_EXPORT_READY", info, true, "a journal export is made and may be downloaded for 7 days (size)") \
  X(ExportFailed, "NBX_EXPORT_FAILED", warning, true, "a journal export could not be made (why)") \
  X(ExportCancelled, "NBX_EXPORT_CANCELLED", info, true, "a journal export stopped: by its requester, or by a lockdown") \
  X(ExportDownloaded, "NBX_EXPORT_DOWNLOADED", info, true, "a journal export downloaded (who, which children, size)") \
  X(ExportRemoved, "NBX_EXPORT_REMOVED", info, true, "a journal export's file removed: expired after 7 days, or by its requester") \
  X(ConsentOptedOut, "NBX_CONSENT_OPTED_OUT", info, true, "a family opted their child out of the online journal") \
  X(ChildArchived, "NBX_CHILD_ARCHIVED", info, true, "a leaver's journal archived: the family's reading window ended") \
  X(ChildRestored, "NBX_CHILD_RESTORED", info, true, "a leaver's journal restored by a manager: a current child again") \
  X(ChildErased, "NBX_CHILD_ERASED", warning, true, "a child's data erased (counts only; names no one)") \
  X(ErasureRefused, "NBX_ERASURE_REFUSED", warning, true, "an erasure refused: wrong password or PIN, or a wrong confirmation") \
  X(ErasureRequested, "NBX_ERASURE_REQUESTED", info, true, "a family asked for their child's data to be erased") \
  X(ErasureRequestWithdrawn, "NBX_ERASURE_REQUEST_WITHDRAWN", info, true, "a family withdrew their erasure request") \
  X(ErasureReviewed, "NBX_ERASURE_REVIEWED", info, true, "a manager reviewed an entry that may have named an erased child") \
  X(ErasureReapplied, "NBX_ERASURE_REAPPLIED", warning, true, "the erasure ledger erased again what a restored backup brought back") \
  X(ErasureLedgerProblem, "NBX_ERASURE_LEDGER_PROBLEM", error, false, "the erasure ledger file could not be read or written") \
  X(BackupCheckFailed, "NBX_BACKUP_CHECK_FAILED", error, true, "backups verification (check or test restore) found damage") \
  X(BackupSetUp, "NBX_BACKUP_SET_UP", warning, true, "backups set up: a new recovery key confirmed by a manager and handed to the box's backup service") \
  X(BackupTargetChanged, "NBX_BACKUP_TARGET_CHANGED", info, true, "backup target changed by a manager (same recovery key)") \
  X(BackupDiskPrepareRequested, "NBX_BACKUP_DISK_PREPARE_REQUESTED", warning, true, "a manager confirmed erasing a USB disk to prepare it for backups") \
  X(BackupRequested, "NBX_BACKUP_REQUESTED", info, true, "a manager asked for a backup now") \
  X(BackupScheduleChanged, "NBX_BACKUP_SCHEDULE_CHANGED", info, true, "daily backup time changed by a manager") \
  X(BackupRestoreRequested, "NBX_BACKUP_RESTORE_REQUESTED", warning, true, "restore from a backup asked for on the setup page of a box not yet set up") \
  X(BackupScheduled, "NBX_BACKUP_SCHEDULED", info, false, "the day's backup (and any weekly check or monthly test restore) passed to the backup service") \
  X(BackupKeyShown, "NBX_BACKUP_KEY_SHOWN", info, false, "a new recovery key was shown to a manager, waiting to be confirmed") \
  X(BackupAgentUnavailable, "NBX_BACKUP_AGENT_UNAVAILABLE", error, false, "a request could not be passed to the backup service (its spool is not writable)") \
  X(BackupRestored, "NBX_BACKUP_RESTORED", warning, true, "box data restored from a backup snapshot; every session ended") \
  X(HttpBadRequest, "NBX_HTTP_BAD_REQUEST", debug, false, "request refused as malformed")          \
  X(HttpInternalError, "NBX_HTTP_INTERNAL_ERROR", error, false, "unexpected error handling request")

enum class Event {
#define NESTBOX_EVENT_ENUM(name, id, sev, audited, text) name,
  NESTBOX_EVENTS(NESTBOX_EVENT_ENUM)
#undef NESTBOX_EVENT_ENUM
};

struct EventInfo {
  std::string_view id;
  Severity severity;
  bool audited;  // true: belongs in the managers' audit log as well as the service log
  std::string_view description;
};

const EventInfo& eventInfo(Event event);
// Every event in catalogue order.
const std::vector<EventInfo>& allEvents();
std::optional<Event> eventFromId(std::string_view id);
std::string_view severityName(Severity severity);

}  // namespace nestbox
