#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>
#include <avahi-common/timeval.h>

#include <mutex>
#include <optional>
#include <stdexcept>

#include "system/mdns.hpp"

namespace nestbox::system {

const char* mdnsStateName(MdnsStatus::State state) {
  switch (state) {
    case MdnsStatus::State::starting: return "starting";
    case MdnsStatus::State::published: return "published";
    case MdnsStatus::State::unavailable: return "unavailable";
  }
  return "unknown";
}

namespace {

// Everything below runs on Avahi's poll thread, or on another thread holding the poll's
// lock; that lock guards client_, group_ and the announcement. status_ has its own mutex so
// that status() never waits for Avahi.
class AvahiPublisher final : public MdnsPublisher {
 public:
  explicit AvahiPublisher(int retrySeconds) : retrySeconds_(retrySeconds) {
    poll_ = avahi_threaded_poll_new();
    if (!poll_) throw std::runtime_error("avahi: cannot create its event loop");
    connect();  // before the loop runs: no lock needed yet
    if (avahi_threaded_poll_start(poll_) < 0) {
      if (client_) avahi_client_free(client_);
      avahi_threaded_poll_free(poll_);
      throw std::runtime_error("avahi: cannot start its event loop");
    }
  }

  ~AvahiPublisher() override {
    avahi_threaded_poll_stop(poll_);
    // Freeing the client withdraws what it published.
    if (client_) avahi_client_free(client_);
    avahi_threaded_poll_free(poll_);
  }

  void announce(const MdnsAnnouncement& announcement) override {
    avahi_threaded_poll_lock(poll_);
    if (!wanted_ || *wanted_ != announcement) {
      wanted_ = announcement;
      apply();
    }
    avahi_threaded_poll_unlock(poll_);
  }

  MdnsStatus status() const override {
    std::lock_guard lock(statusMutex_);
    return status_;
  }

 private:
  template <typename F>
  void updateStatus(F&& change) {
    std::lock_guard lock(statusMutex_);
    change(status_);
  }

  void unavailable(const std::string& why) {
    updateStatus([&](MdnsStatus& s) {
      s.state = MdnsStatus::State::unavailable;
      s.detail = why;
    });
  }

  // AVAHI_CLIENT_NO_FAIL: without a daemon the client waits for one (CONNECTING) instead of
  // failing, and notices it when it appears.
  void connect() {
    int error = 0;
    client_ = avahi_client_new(avahi_threaded_poll_get(poll_), AVAHI_CLIENT_NO_FAIL, &AvahiPublisher::onClient, this,
                               &error);
    if (!client_) {
      unavailable(std::string("cannot reach the system bus: ") + avahi_strerror(error));
      scheduleReconnect();
    }
  }

  void scheduleReconnect() {
    timeval tv{};
    avahi_elapse_time(&tv, static_cast<unsigned>(retrySeconds_) * 1000, 0);
    const AvahiPoll* api = avahi_threaded_poll_get(poll_);
    api->timeout_new(api, &tv, &AvahiPublisher::onRetry, this);
  }

  static void onRetry(AvahiTimeout* timeout, void* self) {
    auto* me = static_cast<AvahiPublisher*>(self);
    avahi_threaded_poll_get(me->poll_)->timeout_free(timeout);
    me->connect();
  }

  static void onClient(AvahiClient* client, AvahiClientState state, void* self) {
    auto* me = static_cast<AvahiPublisher*>(self);
    me->client_ = client;  // also called from inside avahi_client_new, before it returns
    switch (state) {
      case AVAHI_CLIENT_S_RUNNING: {
        const char* host = avahi_client_get_host_name_fqdn(client);
        me->updateStatus([&](MdnsStatus& s) {
          s.hostName = host ? host : "";
          if (s.state == MdnsStatus::State::unavailable) s.state = MdnsStatus::State::starting;
          s.detail.clear();
        });
        me->group_ = nullptr;  // a new daemon or a new host name: publish afresh
        me->published_.reset();
        me->apply();
        break;
      }
      case AVAHI_CLIENT_S_COLLISION:
      case AVAHI_CLIENT_S_REGISTERING:
        // The host name is being (re)registered, after a rename or a collision: withdraw, and
        // publish again once the daemon runs under its new name.
        if (me->group_) avahi_entry_group_reset(me->group_);
        me->published_.reset();
        me->updateStatus([](MdnsStatus& s) { s.state = MdnsStatus::State::starting; });
        break;
      case AVAHI_CLIENT_CONNECTING:
        me->unavailable("avahi-daemon is not running; waiting for it");
        break;
      case AVAHI_CLIENT_FAILURE: {
        const int error = avahi_client_errno(client);
        me->unavailable(std::string("avahi: ") + avahi_strerror(error));
        // The daemon went away (restarted): a new client waits for it to come back.
        avahi_client_free(client);
        me->client_ = nullptr;
        me->group_ = nullptr;
        me->published_.reset();
        if (error == AVAHI_ERR_DISCONNECTED) {
          me->connect();
        } else {
          me->scheduleReconnect();
        }
        break;
      }
    }
  }

  static void onGroup(AvahiEntryGroup* group, AvahiEntryGroupState state, void* self) {
    auto* me = static_cast<AvahiPublisher*>(self);
    if (group != me->group_) return;
    switch (state) {
      case AVAHI_ENTRY_GROUP_ESTABLISHED:
        me->updateStatus([&](MdnsStatus& s) {
          s.state = MdnsStatus::State::published;
          s.publishedName = me->instanceName_;
          s.detail.clear();
        });
        break;
      case AVAHI_ENTRY_GROUP_COLLISION:
        // Another host on the network has this name: take the next alternative ("Name #2").
        me->takeAlternativeName();
        me->published_.reset();
        me->apply();
        break;
      case AVAHI_ENTRY_GROUP_FAILURE:
        me->unavailable(std::string("avahi: ") + avahi_strerror(avahi_client_errno(me->client_)));
        break;
      case AVAHI_ENTRY_GROUP_UNCOMMITED:
      case AVAHI_ENTRY_GROUP_REGISTERING:
        break;
    }
  }

  void takeAlternativeName() {
    char* alternative = avahi_alternative_service_name(instanceName_.c_str());
    instanceName_ = alternative;
    avahi_free(alternative);
    updateStatus([&](MdnsStatus& s) {
      s.collisions++;
      s.publishedName = instanceName_;  // being registered; "published" once established
    });
  }

  static AvahiStringList* txtList(const std::vector<std::string>& txt) {
    AvahiStringList* list = nullptr;
    // avahi_string_list_add prepends: add from the back to keep the order.
    for (auto it = txt.rbegin(); it != txt.rend(); ++it) list = avahi_string_list_add(list, it->c_str());
    return list;
  }

  // Brings what is registered in line with wanted_.
  void apply() {
    if (!client_ || !wanted_ || avahi_client_get_state(client_) != AVAHI_CLIENT_S_RUNNING) return;
    if (published_ && *published_ == *wanted_) return;
    const bool onlyTxtChanged = group_ && published_ && published_->name == wanted_->name &&
                                published_->services.size() == wanted_->services.size() && [&] {
                                  for (std::size_t i = 0; i < wanted_->services.size(); ++i) {
                                    const auto &a = published_->services[i], &b = wanted_->services[i];
                                    if (a.type != b.type || a.port != b.port) return false;
                                  }
                                  return true;
                                }();
    if (onlyTxtChanged) {
      for (const auto& service : wanted_->services) {
        AvahiStringList* txt = txtList(service.txt);
        const int rc = avahi_entry_group_update_service_txt_strlst(group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                                    AvahiPublishFlags{}, instanceName_.c_str(),
                                                                    service.type.c_str(), nullptr, txt);
        avahi_string_list_free(txt);
        if (rc < 0) {
          unavailable(std::string("avahi: cannot update the TXT record: ") + avahi_strerror(rc));
          return;
        }
      }
      published_ = wanted_;
      return;
    }
    // A new name from the setting is tried as it is; the same name keeps the alternative a
    // collision made it take.
    if (wanted_->name != lastWantedName_) {
      instanceName_ = wanted_->name;
      lastWantedName_ = wanted_->name;
    }
    if (!group_) {
      group_ = avahi_entry_group_new(client_, &AvahiPublisher::onGroup, this);
      if (!group_) {
        unavailable(std::string("avahi: ") + avahi_strerror(avahi_client_errno(client_)));
        return;
      }
    } else {
      avahi_entry_group_reset(group_);
    }
    for (int attempt = 0; attempt < 20; ++attempt) {
      int rc = 0;
      for (const auto& service : wanted_->services) {
        AvahiStringList* txt = txtList(service.txt);
        rc = avahi_entry_group_add_service_strlst(group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AvahiPublishFlags{},
                                                  instanceName_.c_str(), service.type.c_str(), nullptr, nullptr,
                                                  service.port, txt);
        avahi_string_list_free(txt);
        if (rc < 0) break;
      }
      if (rc == AVAHI_ERR_COLLISION) {  // a service of this box's own daemon has the name
        avahi_entry_group_reset(group_);
        takeAlternativeName();
        continue;
      }
      if (rc >= 0) rc = avahi_entry_group_commit(group_);
      if (rc < 0) {
        unavailable(std::string("avahi: cannot publish: ") + avahi_strerror(rc));
        return;
      }
      published_ = wanted_;
      updateStatus([](MdnsStatus& s) {
        if (s.state != MdnsStatus::State::published) s.state = MdnsStatus::State::starting;
      });
      return;
    }
    unavailable("avahi: no free service name");
  }

  const int retrySeconds_;
  AvahiThreadedPoll* poll_ = nullptr;
  AvahiClient* client_ = nullptr;
  AvahiEntryGroup* group_ = nullptr;
  std::optional<MdnsAnnouncement> wanted_;
  std::optional<MdnsAnnouncement> published_;  // what group_ holds, with the wanted name
  std::string instanceName_;                   // the name in use (an alternative after a collision)
  std::string lastWantedName_;

  mutable std::mutex statusMutex_;
  MdnsStatus status_;
};

}  // namespace

std::unique_ptr<MdnsPublisher> startAvahiPublisher(int retrySeconds) {
  return std::make_unique<AvahiPublisher>(retrySeconds);
}

}  // namespace nestbox::system
