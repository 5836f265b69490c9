// The media part of the API: the tus 1.0 upload protocol (core, creation, termination,
// expiration, checksum), media records, authorised serving through nginx, and redaction.
// The daemon never sends media bytes itself: it answers with X-Accel-Redirect to an internal
// nginx location, which serves the file with Range support.

#include <sodium.h>

#include "domain/errors.hpp"
#include "http/api.hpp"
#include "http/media_json.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using domain::DomainError;
using domain::ErrorKind;
using domain::Role;

constexpr const char* kTusVersion = "1.0.0";
constexpr const char* kOffsetStream = "application/offset+octet-stream";

std::optional<std::string> base64Decode(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.c_str(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

int64_t headerInt(const Request& r, const std::string& name, int64_t max) {
  const auto value = r.header(name);
  if (!value || value->empty() || value->size() > 19 || value->find_first_not_of("0123456789") != std::string::npos) {
    throw InputError(name, "Send '" + name + "' as a whole number of bytes.");
  }
  const int64_t n = std::stoll(*value);
  if (n > max) throw InputError(name, "'" + name + "' is too large.");
  return n;
}

// "filename <base64>,filetype <base64>": only the name is kept (the type is sniffed).
std::string filenameFromMetadata(const Request& r) {
  const auto metadata = r.header("upload-metadata");
  if (!metadata) return {};
  std::size_t start = 0;
  while (start <= metadata->size()) {
    auto end = metadata->find(',', start);
    if (end == std::string::npos) end = metadata->size();
    const std::string pair = metadata->substr(start, end - start);
    const auto space = pair.find(' ');
    const std::string key = pair.substr(pair.find_first_not_of(' ') == std::string::npos ? 0 : pair.find_first_not_of(' '),
                                        space == std::string::npos ? std::string::npos : space);
    if ((key == "filename" || key == "name") && space != std::string::npos) {
      if (auto decoded = base64Decode(pair.substr(space + 1))) return *decoded;
      throw InputError("Upload-Metadata", "Upload-Metadata values must be base64.");
    }
    start = end + 1;
  }
  return {};
}

Response tus(Response r) {
  r.withHeader("Tus-Resumable", kTusVersion);
  return r;
}

void requireTusVersion(const Request& r) {
  const auto version = r.header("tus-resumable");
  if (!version || *version != kTusVersion) {
    throw DomainError(ErrorKind::preconditionFailed, "tus_version", "This box speaks tus 1.0.0; send 'Tus-Resumable: 1.0.0'.",
                      "Tus-Resumable");
  }
}

Response uploadHeaders(Response r, const domain::UploadStatus& s) {
  r.withHeader("Upload-Offset", std::to_string(s.offset));
  r.withHeader("Upload-Length", std::to_string(s.length));
  if (!s.complete) r.withHeader("Upload-Expires", system::formatHttpDate(s.expiresAt));
  return tus(std::move(r));
}

std::optional<domain::UploadChecksum> readChecksum(const Request& r) {
  const auto header = r.header("upload-checksum");
  if (!header) return std::nullopt;
  const auto space = header->find(' ');
  const auto digest = space == std::string::npos ? std::nullopt : base64Decode(header->substr(space + 1));
  if (!digest) throw InputError("Upload-Checksum", "Send 'Upload-Checksum: sha1 <base64 digest>'.");
  return domain::UploadChecksum{header->substr(0, space), *digest};
}

}  // namespace

// The body of a tus PATCH: written to the upload as it arrives; any error becomes the response.
class UploadSink final : public BodySink {
 public:
  UploadSink(Api& api, Request request, std::unique_ptr<domain::UploadAppend> append)
      : api_(api), request_(std::move(request)), append_(std::move(append)) {}

  ~UploadSink() override {
    if (append_ && !ended_) append_->abandon();
  }

  void write(std::string_view piece) override {
    if (failure_ || piece.empty()) return;  // after an error the rest of the body is discarded
    Response r = api_.guarded(request_, [&] {
      append_->write(piece);
      return Response{0, {}, {}};
    });
    if (r.status != 0) fail(std::move(r));
  }

  Response finish() override {
    if (failure_) return *failure_;
    ended_ = true;
    return api_.guarded(request_, [&] { return uploadHeaders(Response{204, {}, {}}, append_->finish()); });
  }

  void abandon() override {
    if (ended_ || failure_) return;
    ended_ = true;
    append_->abandon();
  }

 private:
  void fail(Response r) {
    failure_ = tus(std::move(r));
    ended_ = true;  // a refused upload is gone; nothing to keep
  }

  Api& api_;
  Request request_;
  std::unique_ptr<domain::UploadAppend> append_;
  std::optional<Response> failure_;
  bool ended_ = false;
};

std::vector<Api::RouteDef> Api::mediaRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"OPTIONS", "/api/v1/uploads", {.audience = open, .outside = families}, &Api::uploadOptions},
      {"POST", "/api/v1/uploads", {.audience = signedIn, .outside = families}, &Api::createUpload},
      {"HEAD", "/api/v1/uploads/:id", {.audience = signedIn, .outside = families}, &Api::uploadStatus},
      {"PATCH", "/api/v1/uploads/:id", {.audience = signedIn, .outside = families}, nullptr, &Api::appendUpload},
      {"DELETE", "/api/v1/uploads/:id", {.audience = signedIn, .outside = families}, &Api::terminateUpload},
      {"GET", "/api/v1/media/:id", {.audience = signedIn, .outside = managersRead}, &Api::getMedia},
      {"GET", "/api/v1/media/:id/audience", {.audience = staff}, &Api::mediaAudience},
      {"GET", "/api/v1/media/:id/:variant", {.audience = signedIn, .childView = true, .outside = managersRead}, &Api::serveMedia},
      {"POST", "/api/v1/media/:id/redact", {.audience = staff}, &Api::redactMedia},
      {"GET", "/api/v1/storage", {.audience = manager}, &Api::storageSpace},
      {"GET", "/api/v1/redactions/to-mark-again", {.audience = manager}, &Api::redactionsToMarkAgain},
  };
}

Response Api::uploadOptions(Call&) {
  Response r{204, {}, {}};
  r.withHeader("Tus-Version", kTusVersion);
  r.withHeader("Tus-Extension", "creation,termination,expiration,checksum");
  r.withHeader("Tus-Checksum-Algorithm", "sha1,sha256");
  r.withHeader("Tus-Max-Size", std::to_string(domain::MediaLimits{}.maxUploadBytes));
  return tus(std::move(r));
}

Response Api::createUpload(Call& call) {
  requireTusVersion(call.request);
  if (call.request.header("upload-defer-length")) {
    throw InputError("Upload-Defer-Length", "Say the file's length when the upload starts (Upload-Length).");
  }
  if (!call.request.body.empty()) {
    throw InputError("body", "Create the upload first, then send its bytes with PATCH.");
  }
  const int64_t length = headerInt(call.request, "upload-length", INT64_MAX / 2);
  const auto status = s_.media.createUpload(call.who(), length, filenameFromMetadata(call.request));
  Response r{201, {}, {}};
  r.withHeader("Location", "/api/v1/uploads/" + status.id);
  return uploadHeaders(std::move(r), status);
}

Response Api::uploadStatus(Call& call) {
  requireTusVersion(call.request);
  return uploadHeaders(Response{200, {}, {}}, s_.media.uploadStatus(call.who(), call.params.at("id")));
}

std::unique_ptr<BodySink> Api::appendUpload(Call& call) {
  const Request& r = call.request;
  requireTusVersion(r);
  if (r.header("content-type").value_or("") != kOffsetStream) {
    throw DomainError(ErrorKind::unsupportedType, "unsupported_media_type",
                      std::string("Send upload bytes as ") + kOffsetStream + ".", "Content-Type");
  }
  const int64_t offset = headerInt(r, "upload-offset", INT64_MAX / 2);
  std::optional<int64_t> length;
  if (r.header("content-length")) length = headerInt(r, "content-length", INT64_MAX / 2);
  auto append = s_.media.append(call.who(), call.params.at("id"), offset, length, readChecksum(r));
  return std::make_unique<UploadSink>(*this, r, std::move(append));
}

Response Api::terminateUpload(Call& call) {
  requireTusVersion(call.request);
  s_.media.terminateUpload(call.who(), call.params.at("id"));
  return tus(Response{204, {}, {}});
}

Response Api::getMedia(Call& call) {
  const auto m = s_.media.get(call.who(), call.params.at("id"));
  return Response::json(200, {{"media", mediaRecordJson(m, domain::AccessPolicy::isStaff(call.who()))}});
}

// The staff editor asks who will see an item as its ticks stand (?child_ids=a,b): the box's
// answer, from the access policy, so the web app holds no copy of the consent rule.
Response Api::mediaAudience(Call& call) {
  std::vector<std::string> childIds;
  const std::string list = call.request.queryValue("child_ids").value_or("");
  for (std::size_t start = 0; start < list.size();) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string id = list.substr(start, end - start);
    if (id.size() != 32 || id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      throw InputError("child_ids", "'child_ids' must be children's ids, separated by commas.");
    }
    childIds.push_back(id);
    if (childIds.size() > 100) throw InputError("child_ids", "Ask about at most 100 children.");
    start = end + 1;
  }
  return Response::json(200, {{"audience", audienceJson(s_.media.audience(call.who(), call.params.at("id"), childIds))}});
}

// The managers' home shows the data disk: how full, the reserve, and a warning (issue 14).
Response Api::storageSpace(Call& call) {
  const auto r = s_.media.space(call.who());
  return Response::json(200, {{"storage", {{"total_bytes", r.totalBytes},
                                           {"free_bytes", r.freeBytes},
                                           {"reserve_bytes", r.reserveBytes},
                                           {"unfinished_upload_bytes", r.unfinishedBytes},
                                           {"media_bytes", r.mediaBytes},
                                           {"state", r.state}}}});
}

Response Api::serveMedia(Call& call) {
  const auto variant = domain::mediaVariantFromName(call.params.at("variant"));
  if (!variant) return Response::error(404, "not_found", "There is nothing at this address.");
  const auto served = s_.media.locate(call.who(), call.params.at("id"), *variant);
  Response r{200, {}, {}};
  r.withHeader("X-Accel-Redirect", "/_nestbox_media/" + served.relativePath);
  r.withHeader("Content-Type", served.mime);
  r.withHeader("Content-Disposition",
               std::string(*variant == domain::MediaVariant::original ? "attachment" : "inline") + "; filename=\"" +
                   served.downloadName + "\"");
  return r;
}

Response Api::redactMedia(Call& call) {
  const Json body = parseJsonObject(call.request.body.empty() ? "{}" : call.request.body);
  JsonReader in(body);
  std::vector<media::Region> regions;
  for (const auto& item : in.optionalObjectList("regions", 50).value_or(std::vector<Json>{})) {
    JsonReader one(item);
    media::Region region;
    region.x = one.optionalInt("x", 0, 100000).value_or(-1);
    region.y = one.optionalInt("y", 0, 100000).value_or(-1);
    region.width = one.optionalInt("width", 1, 100000).value_or(0);
    region.height = one.optionalInt("height", 1, 100000).value_or(0);
    // A person is covered (the default); "pixelate" is for a thing and must be asked for.
    const auto style = one.optionalString("style", 1, 16).value_or("cover");
    if (style != "cover" && style != "pixelate") {
      throw DomainError(ErrorKind::invalid, "invalid", "Each area is either covered or pixelated.", "regions");
    }
    region.pixelate = style == "pixelate";
    one.finish();
    regions.push_back(region);
  }
  const auto obscured = in.optionalStringList("obscured_child_ids", 100, 64).value_or(std::vector<std::string>{});
  const bool obscureErased = in.optionalBool("obscure_erased").value_or(false);
  in.finish();
  const auto m = s_.media.redact(call.who(), call.params.at("id"), regions, obscured,
                                 s_.settings.current() && s_.settings.current()->keepUnredactedOriginals, obscureErased);
  return Response::json(200, {{"media", mediaRecordJson(m, true)}});
}

// Photos redacted the old way (issue 32), which no family gets until their areas are marked again.
Response Api::redactionsToMarkAgain(Call& call) {
  Json media = Json::array();
  for (const auto& m : s_.media.toMarkAgain(call.who())) {
    media.push_back({{"media_id", m.mediaId}, {"entry_id", m.entryId ? Json(*m.entryId) : Json(nullptr)},
                     {"entry_title", m.entryTitle ? Json(*m.entryTitle) : Json(nullptr)}});
  }
  return Response::json(200, {{"media", media}});
}

}  // namespace nestbox::http
