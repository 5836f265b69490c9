#pragma once
// Families linked safely (issue 16; policies 000 and 002: managers attach the right child to
// each parent account). A manager invites a child's family with a one-time code bound to that
// child — printed in a letter, handed over in person — instead of choosing from a list of
// every parent account, where one slip attaches the wrong family. The code works once, for
// its child only, for `invitation_days` (14 by default), and not after it is cancelled or the
// child has left. Redeeming it makes the parent's own account, attached to the child. An
// existing account can claim it too, but is attached only when a manager confirms a screen that
// names the child and lists the account's current children. Wrong codes are throttled per
// address and audited; every step is audited.

#include <optional>
#include <string>
#include <vector>

#include "domain/accounts.hpp"
#include "domain/children.hpp"
#include "domain/context.hpp"
#include "domain/settings.hpp"
#include "storage/journal_store.hpp"

namespace nestbox::domain {

struct Invitation {
  storage::InvitationRecord record;
  std::string state;  // open, waiting, used, cancelled, expired, void
};

struct NewInvitation {
  Invitation invitation;
  std::string code;  // shown once, grouped: "ABCD-EFGH-JKMN-PQRS"
};

// What a manager confirms: the child, and the account with the children it has now.
struct WaitingLink {
  Invitation invitation;
  storage::ChildRecord child;
  std::string roomName;
  storage::UserRecord account;
  std::vector<storage::ChildRecord> accountChildren;
};

struct Joiner {
  std::string username;
  std::string displayName;
  std::optional<std::string> email;
  std::string password;
};

class InvitationService {
 public:
  InvitationService(Context& ctx, storage::JournalStore& journal, SettingsService& settings, ChildrenService& children,
                    AccountService& accounts)
      : ctx_(ctx), journal_(journal), settings_(settings), children_(children), accounts_(accounts) {}

  // Managers.
  NewInvitation create(const Principal& p, const std::string& childId);
  std::vector<Invitation> ofChild(const Principal& p, const std::string& childId);
  void cancel(const Principal& p, const std::string& invitationId);
  std::vector<WaitingLink> waiting(const Principal& p);
  void confirm(const Principal& p, const std::string& invitationId);

  // A new family, without a session: makes their account, attached to the child. Returns the
  // child's first name.
  std::string redeem(const std::string& code, const Joiner& joiner, const RequestOrigin& origin);
  // A signed-in parent: the claim waits for a manager. Returns the child's first name.
  std::string claim(const Principal& p, const std::string& code);

  int openCount();
  int waitingCount();

 private:
  Invitation view(const storage::InvitationRecord& r);
  // The invitation behind `code` while it works; otherwise throttled, audited, one answer.
  storage::InvitationRecord usable(const std::string& code, const RequestOrigin& origin);
  storage::InvitationRecord require(const std::string& id);

  Context& ctx_;
  storage::JournalStore& journal_;
  SettingsService& settings_;
  ChildrenService& children_;
  AccountService& accounts_;
};

}  // namespace nestbox::domain
