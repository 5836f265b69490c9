// JournalDocument <-> JSON (processor.hpp): the daemon writes it, nestbox-media reads it.
#include "media/processor.hpp"

namespace nestbox::media {

Json journalDocumentJson(const JournalDocument& d) {
  Json sections = Json::array();
  for (const auto& s : d.sections) {
    Json entries = Json::array();
    for (const auto& e : s.entries) {
      entries.push_back({{"heading", e.heading}, {"title", e.title}, {"body", e.body}, {"next_steps", e.nextSteps},
                         {"areas", e.areas}, {"byline", e.byline}, {"images", e.images}, {"comments", e.comments}});
    }
    sections.push_back({{"heading", s.heading}, {"entries", std::move(entries)}});
  }
  return {{"title", d.title}, {"subtitle", d.subtitle}, {"sections", std::move(sections)}};
}

JournalDocument journalDocumentFrom(const Json& j) {
  JournalDocument d;
  d.title = j.value("title", std::string());
  d.subtitle = j.value("subtitle", std::string());
  for (const auto& s : j.value("sections", Json::array())) {
    JournalDocument::Section section;
    section.heading = s.value("heading", std::string());
    for (const auto& e : s.value("entries", Json::array())) {
      JournalDocument::Entry entry;
      entry.heading = e.value("heading", std::string());
      entry.title = e.value("title", std::string());
      entry.body = e.value("body", std::string());
      entry.nextSteps = e.value("next_steps", std::string());
      entry.areas = e.value("areas", std::string());
      entry.byline = e.value("byline", std::string());
      entry.images = e.value("images", std::vector<std::string>());
      entry.comments = e.value("comments", std::vector<std::string>());
      section.entries.push_back(std::move(entry));
    }
    d.sections.push_back(std::move(section));
  }
  return d;
}

}  // namespace nestbox::media
