#include "domain/export_page.hpp"

#include <stdexcept>

#include "domain/calendar.hpp"

namespace nestbox::domain {
namespace {

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

int number(const std::string& s, std::size_t at, std::size_t len) { return std::stoi(s.substr(at, len)); }

}  // namespace

// The day of the week from the date itself.
std::string dateInWords(const std::string& date) {
  if (date.size() != 10) return date;
  const int y = number(date, 0, 4), m = number(date, 5, 2), d = number(date, 8, 2);
  if (m < 1 || m > 12 || d < 1 || d > 31) return date;
  // Sakamoto's method: 0 = Sunday.
  static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  const int yy = m < 3 ? y - 1 : y;
  const int sunday0 = (yy + yy / 4 - yy / 100 + yy / 400 + t[m - 1] + d) % 7;
  return std::string(kDays[(sunday0 + 6) % 7]) + " " + std::to_string(d) + " " + kMonths[m - 1] + " " + std::to_string(y);
}

std::string monthInWords(const std::string& date) {
  if (date.size() < 7) return date;
  const int m = number(date, 5, 2);
  if (m < 1 || m > 12) return date;
  return std::string(kMonths[m - 1]) + " " + date.substr(0, 4);
}

std::string kindInWords(const std::string& kind) {
  if (kind == "observation") return "Observation";
  if (kind == "snapshot") return "Snapshot of the day";
  if (kind == "room_post") return "From the room";
  if (kind == "newsletter") return "Newsletter";
  if (kind == "home") return "From home";
  return kind;
}

namespace {

std::string humanDate(const std::string& date) { return escapeHtml(dateInWords(date)); }
std::string monthOf(const std::string& date) { return escapeHtml(monthInWords(date)); }
std::string kindWords(const std::string& kind) { return escapeHtml(kindInWords(kind)); }

void checkFile(const std::string& file) {
  const bool plain = file.rfind("media/", 0) == 0 && file.find("..") == std::string::npos && file.size() < 200 &&
                     file.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") ==
                         std::string::npos &&
                     file.find('/', 6) == std::string::npos;
  if (!plain) throw std::invalid_argument("not a plain media path in the export: " + file);
}

// Paragraphs from the text's blank-line-separated blocks; single line breaks kept.
std::string paragraphs(const std::string& text) {
  std::string out, block;
  auto flush = [&] {
    if (block.empty()) return;
    std::string html;
    for (char c : escapeHtml(block)) html += c == '\n' ? std::string("<br>") : std::string(1, c);
    out += "<p>" + html + "</p>";
    block.clear();
  };
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      flush();
    } else {
      block += (block.empty() ? "" : "\n") + line;
    }
    if (end == std::string::npos) break;
    at = end + 1;
  }
  flush();
  return out;
}

constexpr const char* kStyle = R"css(
body{font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f4ef;color:#1d1d1b}
header,main,footer{max-width:52rem;margin:0 auto;padding:1rem}
header h1{margin:.2rem 0}
h2.month{margin:2rem 0 .5rem;font-size:1.2rem;color:#4b4b45;border-bottom:1px solid #d8d4c8}
article.entry{background:#fff;border-radius:10px;padding:1rem 1.2rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002}
.meta{color:#5b5b55;font-size:.9rem;margin:0}
.media img,.media video{display:block;width:100%;height:auto;border-radius:6px;margin:.6rem 0}
.areas{padding:0;margin:.5rem 0;list-style:none}.areas li{display:inline-block;background:#e9efe6;border-radius:1rem;padding:.1rem .6rem;margin:.15rem;font-size:.85rem}
.next{background:#fdf6e3;border-left:4px solid #e0b44c;padding:.3rem .8rem}
.comments{border-top:1px solid #eee;margin-top:.8rem}.comments li{margin:.4rem 0}
@media print{article.entry{break-inside:avoid;box-shadow:none;border:1px solid #ccc}}
)css";

}  // namespace

std::string escapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string renderExportPage(const ExportedJournal& j) {
  const Calendar calendar(j.timeZone.empty() ? kDefaultTimeZone : j.timeZone);
  const std::string child = escapeHtml(j.childName);
  std::string out =
      "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // Nothing but what is in the folder: no scripts, no fonts or images from anywhere else.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; media-src 'self'; "
      "style-src 'unsafe-inline'\">"
      "<title>" + child + "’s learning journal</title><style>" + kStyle + "</style></head><body>\n<header><h1>" + child +
      "’s learning journal</h1><p class=\"meta\">" + escapeHtml(j.settingName) + " · downloaded on " +
      humanDate(calendar.dateOf(j.madeAt)) + " · " + std::to_string(j.entries.size()) +
      (j.entries.size() == 1 ? " entry" : " entries") + "</p></header>\n<main>\n";
  if (j.entries.empty()) out += "<p>There are no entries in this journal yet.</p>\n";
  std::string month;
  for (const auto& e : j.entries) {
    if (monthOf(e.date) != month) {
      month = monthOf(e.date);
      out += "<h2 class=\"month\">" + month + "</h2>\n";
    }
    out += "<article class=\"entry\"><p class=\"meta\">" + humanDate(e.date) + " · " + kindWords(e.kind) +
           (e.author.empty() ? "" : " · " + escapeHtml(e.author)) + "</p>";
    if (!e.title.empty()) out += "<h3>" + escapeHtml(e.title) + "</h3>";
    out += paragraphs(e.body);
    if (!e.media.empty()) {
      out += "<div class=\"media\">";
      for (const auto& m : e.media) {
        checkFile(m.file);
        const std::string src = escapeHtml(m.file);
        if (m.mime.rfind("image/", 0) == 0) {
          out += "<img src=\"" + src + "\" alt=\"A photo from this entry\" loading=\"lazy\">";
        } else if (m.mime.rfind("video/", 0) == 0) {
          out += "<video controls preload=\"metadata\" src=\"" + src + "\"></video>";
        } else {
          out += "<p><a href=\"" + src + "\">Open the document</a></p>";
        }
      }
      out += "</div>";
    }
    if (!e.areas.empty()) {
      out += "<ul class=\"areas\" aria-label=\"Areas of learning\">";
      for (const auto& a : e.areas) out += "<li>" + escapeHtml(a) + "</li>";
      out += "</ul>";
    }
    if (!e.nextSteps.empty()) out += "<div class=\"next\"><strong>Next steps</strong>" + paragraphs(e.nextSteps) + "</div>";
    if (!e.likedBy.empty()) {
      std::string who;
      for (std::size_t i = 0; i < e.likedBy.size(); ++i) {
        who += (i == 0 ? "" : i + 1 == e.likedBy.size() ? " and " : ", ") + escapeHtml(e.likedBy[i]);
      }
      out += "<p class=\"meta liked\">&#9829; Liked by " + who + "</p>";
    }
    if (!e.comments.empty()) {
      out += "<ul class=\"comments\" aria-label=\"Comments\">";
      for (const auto& c : e.comments) {
        out += "<li><span class=\"meta\">" + escapeHtml(c.author) + ", " + humanDate(calendar.dateOf(c.at)) +
               "</span><br>" + escapeHtml(c.body) + "</li>";
      }
      out += "</ul>";
    }
    out += "</article>\n";
  }
  out += "</main>\n<footer><p class=\"meta\">Made by the nursery's Nestbox. The photos and videos are in the "
         "media folder beside this page.</p></footer>\n</body></html>\n";
  return out;
}

}  // namespace nestbox::domain
