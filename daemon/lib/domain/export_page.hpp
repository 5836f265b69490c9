#pragma once
// The offline journal of a child export (issue 20): index.html, opened from the unzipped
// folder in any browser, with no network, in twenty years, without Nestbox. A pure function
// of what the exporter may see (the export job gathers it through the access policy): every
// text is escaped, every media file is referred to by its relative path inside the zip, and
// the page has no script and loads nothing from anywhere else (its CSP says so too).

#include <cstdint>
#include <string>
#include <vector>

namespace nestbox::domain {

struct ExportedMedia {
  std::string file;  // relative path in the zip: "media/<name>" (letters, digits, . _ -)
  std::string mime;  // image/..., video/..., application/pdf
};

struct ExportedComment {
  std::string author;
  std::string body;
  int64_t at = 0;
};

struct ExportedEntry {
  std::string date;  // "YYYY-MM-DD", the day it was observed
  std::string kind;  // observation, snapshot, room_post, newsletter, home
  std::string title;
  std::string body;
  std::string nextSteps;
  std::string author;
  std::vector<std::string> areas;  // curriculum, in words ("Mathematics: Number")
  std::vector<ExportedMedia> media;
  std::vector<ExportedComment> comments;  // that family's thread, oldest first
  std::vector<std::string> likedBy;       // the family's members who hearted it (issue 22)
};

struct ExportedJournal {
  std::string settingName;
  std::string childName;
  std::string timeZone;  // the setting's: comment times are shown in it
  int64_t madeAt = 0;
  std::vector<ExportedEntry> entries;  // newest first
};

// The whole page. Entries are grouped by month, newest first; each is an <article
// class="entry">, each photo an <img> (lazy), each video a <video controls>, each document a
// link. Throws std::invalid_argument for a media path that is not a plain relative one.
std::string renderExportPage(const ExportedJournal& journal);

// In words, as plain text: "2026-12-01" → "Tuesday 1 December 2026"; → "December 2026"; a
// kind ("snapshot") → "Snapshot of the day". Anything else is given back as it is.
std::string dateInWords(const std::string& date);
std::string monthInWords(const std::string& date);
std::string kindInWords(const std::string& kind);

// Text for HTML element content and attribute values.
std::string escapeHtml(const std::string& text);

}  // namespace nestbox::domain
