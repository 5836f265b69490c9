#pragma once
// An mDNS publisher that publishes nothing: it keeps what it was asked to announce, and its
// status is whatever the test sets.

#include <vector>

#include "system/mdns.hpp"

namespace nestbox::testing {

class FakeMdnsPublisher final : public system::MdnsPublisher {
 public:
  void announce(const system::MdnsAnnouncement& announcement) override {
    if (announcements.empty() || announcements.back() != announcement) announcements.push_back(announcement);
  }
  system::MdnsStatus status() const override { return current; }

  std::vector<system::MdnsAnnouncement> announcements;  // each distinct one, in order
  system::MdnsStatus current;
};

}  // namespace nestbox::testing
