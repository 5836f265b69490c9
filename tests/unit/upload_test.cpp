// Resumable uploads (tus 1.0) through the API in memory, media serving decisions, redaction
// and the check, with the fake processor (the real one is tested in media_test.cpp).
#include <catch2/catch.hpp>

#include <sodium.h>
#include <sys/stat.h>

#include "api_client.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using testing::Client;
using testing::headerOf;
using testing::fakeJpeg;
using domain::ErrorKind;

namespace {

std::map<std::string, std::string> tusHeaders(std::map<std::string, std::string> extra = {}) {
  extra.emplace("tus-resumable", "1.0.0");
  return extra;
}

int64_t fileSize(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

// A journal setting with signed-in API clients for the manager, Kate (staff) and two parents.
struct UploadSetting : testing::JournalSetting {
  Client kate{s}, parentAClient{s}, parentBClient{s}, managerClient{s};

  UploadSetting() {
    REQUIRE(kate.signIn("kate", "green apple orchard").status == 200);
    REQUIRE(parentAClient.signIn("parent.a", "blue whale singing").status == 200);
    REQUIRE(parentBClient.signIn("parent.b", "blue whale singing").status == 200);
    REQUIRE(managerClient.signIn("manager", testing::kManagerPassword).status == 200);
  }

  std::string create(Client& c, int64_t length, const std::string& name = "photo.jpg") {
    auto r = c.call("POST", "/api/v1/uploads", "",
                    tusHeaders({{"upload-length", std::to_string(length)}, {"upload-metadata", "filename " + base64(name)}}));
    REQUIRE(r.status == 201);
    const auto location = *headerOf(r, "Location");
    return location.substr(location.rfind('/') + 1);
  }

  // PATCH with a body: the in-memory client sets the body through `call`'s body argument.
  http::Response send(Client& c, const std::string& id, int64_t offset, const std::string& bytes,
                      std::map<std::string, std::string> extra = {}) {
    extra["content-type"] = "application/offset+octet-stream";
    extra["upload-offset"] = std::to_string(offset);
    return c.call("PATCH", "/api/v1/uploads/" + id, bytes, tusHeaders(extra));
  }

  int64_t offsetOf(Client& c, const std::string& id) {
    auto r = c.call("HEAD", "/api/v1/uploads/" + id, "", tusHeaders());
    if (r.status != 200) return -r.status;
    return std::stoll(*headerOf(r, "Upload-Offset"));
  }

  // Uploads `bytes` in one go as Kate; returns the media id.
  std::string upload(Client& c, const std::string& bytes) {
    const auto id = create(c, static_cast<int64_t>(bytes.size()));
    const auto r = send(c, id, 0, bytes);
    REQUIRE(r.status == 204);
    return id;
  }
};

}  // namespace

TEST_CASE("tus: create, send in pieces, ask the offset, finish into a processed media item") {
  UploadSetting t;
  auto options = t.kate.call("OPTIONS", "/api/v1/uploads");
  CHECK(options.status == 204);
  CHECK(headerOf(options, "Tus-Version") == "1.0.0");
  CHECK(headerOf(options, "Tus-Extension")->find("termination") != std::string::npos);

  const std::string photo = fakeJpeg(4000, 3000, std::string(10000, 'x'));
  const auto id = t.create(t.kate, static_cast<int64_t>(photo.size()), "IMG_0001.HEIC");
  CHECK(t.offsetOf(t.kate, id) == 0);
  const auto first = t.send(t.kate, id, 0, photo.substr(0, 6000));
  CHECK(first.status == 204);
  CHECK(headerOf(first, "Upload-Offset") == "6000");
  CHECK(t.offsetOf(t.kate, id) == 6000);

  // A wrong offset is a conflict and changes nothing.
  CHECK(t.send(t.kate, id, 5000, photo.substr(5000)).status == 409);
  CHECK(t.offsetOf(t.kate, id) == 6000);
  // Not the tus content type: 415.
  CHECK(t.kate.call("PATCH", "/api/v1/uploads/" + id, photo.substr(6000),
                    tusHeaders({{"content-type", "application/json"}, {"upload-offset", "6000"}})).status == 415);
  // Another person's upload does not exist for them.
  CHECK(t.offsetOf(t.parentAClient, id) == -404);
  CHECK(t.send(t.parentAClient, id, 6000, photo.substr(6000)).status == 404);

  const auto last = t.send(t.kate, id, 6000, photo.substr(6000));
  CHECK(last.status == 204);
  CHECK(headerOf(last, "Upload-Offset") == std::to_string(photo.size()));
  // The upload became a media item with the same id, processed (inline workers here).
  const auto media = t.s.store.media(id);
  REQUIRE(media);
  CHECK(media->state == "ready");
  CHECK(media->width == 4000);
  CHECK(media->uploadedBy == t.staff.userId);
  REQUIRE(media->sha256);
  CHECK(fileSize(t.s.mediaFiles.objectPath(*media->sha256)) > 0);
  CHECK(fileSize(t.s.mediaFiles.derivedPath(*media->sha256, "thumb")) > 0);
  CHECK(fileSize(t.s.mediaFiles.incomingPath(id)) == -1);
  CHECK(t.offsetOf(t.kate, id) == -404);  // the upload itself is finished
  CHECK(t.s.auditCount("NBX_MEDIA_RECEIVED") == 1);
}

TEST_CASE("tus: types are sniffed from content, sizes and pixels are limited, nothing half-written stays") {
  UploadSetting t;
  SECTION("a GIF named .jpg is refused at its first bytes") {
    const std::string gif = "GIF89a" + std::string(5000, '\0');
    const auto id = t.create(t.kate, static_cast<int64_t>(gif.size()), "cat.jpg");
    const auto r = t.send(t.kate, id, 0, gif);
    CHECK(r.status == 415);
    CHECK(Json::parse(r.body)["message"].get<std::string>().find("not accepted") != std::string::npos);
    CHECK(t.offsetOf(t.kate, id) == -404);
    CHECK(fileSize(t.s.mediaFiles.partPath(id)) == -1);
    CHECK_FALSE(t.s.store.media(id));
    CHECK(t.s.auditCount("NBX_UPLOAD_REJECTED") == 1);
  }
  SECTION("too many bytes for any file: 413 at creation") {
    const auto r = t.kate.call("POST", "/api/v1/uploads", "", tusHeaders({{"upload-length", std::to_string(3LL << 30)}}));
    CHECK(r.status == 413);
    CHECK(t.s.store.uploads().empty());
  }
  SECTION("too many bytes for a photo: 413 once the first bytes show it is one") {
    const int64_t length = 65LL << 20;
    const auto id = t.create(t.kate, length);
    CHECK(t.send(t.kate, id, 0, fakeJpeg(10, 10, std::string(5000, 'x'))).status == 413);
    CHECK(t.s.store.uploads().empty());
  }
  SECTION("a decompression bomb: 422 at completion, no media, no files") {
    t.s.processor.maxPixels = 50'000'000;
    const auto bomb = fakeJpeg(30000, 30000, std::string(5000, 'x'));
    const auto id = t.create(t.kate, static_cast<int64_t>(bomb.size()));
    const auto r = t.send(t.kate, id, 0, bomb);
    CHECK(r.status == 422);
    CHECK_FALSE(t.s.store.media(id));
    CHECK(t.s.mediaFiles.objectHashes().empty());
    CHECK(t.s.mediaFiles.incomingIds().empty());
    CHECK(fileSize(t.s.mediaFiles.partPath(id)) == -1);
  }
  SECTION("more bytes than declared: 409, offset unchanged") {
    const auto id = t.create(t.kate, 10);
    CHECK(t.send(t.kate, id, 0, fakeJpeg(2, 2, std::string(100, 'x'))).status == 409);
  }
  SECTION("no tus version: 412") {
    CHECK(t.kate.call("POST", "/api/v1/uploads", "", {{"upload-length", "10"}}).status == 412);
  }
  SECTION("no session: 401; no CSRF token: 403") {
    Client anonymous(t.s);
    CHECK(anonymous.call("POST", "/api/v1/uploads", "", tusHeaders({{"upload-length", "10"}})).status == 401);
    Client noCsrf = t.kate;
    noCsrf.csrf.clear();
    CHECK(noCsrf.call("POST", "/api/v1/uploads", "", tusHeaders({{"upload-length", "10"}})).status == 403);
  }
}

TEST_CASE("tus: checksums, termination, expiry, a cut connection and recovery after a crash") {
  UploadSetting t;
  const std::string photo = fakeJpeg(100, 100, std::string(9000, 'y'));
  SECTION("a wrong checksum discards the piece (460); a right one keeps it") {
    const auto id = t.create(t.kate, static_cast<int64_t>(photo.size()));
    const std::string piece = photo.substr(0, 5000);
    CHECK(t.send(t.kate, id, 0, piece, {{"upload-checksum", "sha1 " + base64(std::string(20, 'z'))}}).status == 460);
    CHECK(t.offsetOf(t.kate, id) == 0);
    unsigned char digest[32];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(piece.data()), piece.size());
    CHECK(t.send(t.kate, id, 0, piece, {{"upload-checksum", "sha256 " + base64(std::string(reinterpret_cast<char*>(digest), 32))}}).status == 204);
    CHECK(t.offsetOf(t.kate, id) == 5000);
  }
  SECTION("the sender terminates: the upload and its bytes are gone") {
    const auto id = t.create(t.kate, static_cast<int64_t>(photo.size()));
    CHECK(t.send(t.kate, id, 0, photo.substr(0, 5000)).status == 204);
    CHECK(t.parentAClient.call("DELETE", "/api/v1/uploads/" + id, "", tusHeaders()).status == 404);
    CHECK(t.kate.call("DELETE", "/api/v1/uploads/" + id, "", tusHeaders()).status == 204);
    CHECK(t.offsetOf(t.kate, id) == -404);
    CHECK(fileSize(t.s.mediaFiles.partPath(id)) == -1);
  }
  SECTION("an upload abandoned for a day expires") {
    const auto id = t.create(t.kate, static_cast<int64_t>(photo.size()));
    CHECK(t.send(t.kate, id, 0, photo.substr(0, 5000)).status == 204);
    // (The domain is asked directly: a day is longer than any staff session.)
    t.s.clock.advance(86400 - 1);
    CHECK(t.s.media.uploadStatus(t.staff, id).offset == 5000);
    t.s.clock.advance(1);
    CHECK(testing::kindOf([&] { t.s.media.uploadStatus(t.staff, id); }) == ErrorKind::gone);
    CHECK(fileSize(t.s.mediaFiles.partPath(id)) == -1);
    const auto other = t.s.media.createUpload(t.staff, 100, "x.jpg").id;
    t.s.clock.advance(86400);
    CHECK(t.s.media.expireUploads() == 1);
    CHECK_FALSE(t.s.store.upload(other));
  }
  SECTION("a cut connection keeps the bytes that arrived; the client resumes from there") {
    const auto id = t.create(t.kate, static_cast<int64_t>(photo.size()));
    {
      auto append = t.s.media.append(t.staff, id, 0, static_cast<int64_t>(photo.size()), std::nullopt);
      append->write(photo.substr(0, 4096));
      append->write(photo.substr(4096, 1000));
      append->abandon();
    }
    CHECK(t.offsetOf(t.kate, id) == 5096);
    CHECK(t.send(t.kate, id, 5096, photo.substr(5096)).status == 204);
    CHECK(t.s.store.media(id)->state == "ready");
  }
  SECTION("two requests for one upload at once: the second is refused") {
    const auto id = t.create(t.kate, static_cast<int64_t>(photo.size()));
    auto first = t.s.media.append(t.staff, id, 0, std::nullopt, std::nullopt);
    CHECK(t.send(t.kate, id, 0, photo.substr(0, 10)).status == 409);
    first->abandon();
  }
  SECTION("after a crash, bytes beyond the acknowledged offset are cut off") {
    const auto id = t.create(t.kate, static_cast<int64_t>(photo.size()));
    CHECK(t.send(t.kate, id, 0, photo.substr(0, 5000)).status == 204);
    // Bytes written but never acknowledged (the process died before recording them).
    FILE* f = std::fopen(t.s.mediaFiles.partPath(id).c_str(), "ab");
    std::fputs("unacknowledged", f);
    std::fclose(f);
    t.s.media.recover();
    CHECK(fileSize(t.s.mediaFiles.partPath(id)) == 5000);
    CHECK(t.send(t.kate, id, 5000, photo.substr(5000)).status == 204);
    CHECK(system::readFile(t.s.mediaFiles.objectPath(*t.s.store.media(id)->sha256)).find("unacknowledged") == std::string::npos);
  }
}

TEST_CASE("media bytes are served only to those who may see them, in the copy consent allows now") {
  UploadSetting t;
  t.s.children.recordConsent(t.manager, t.a.id, {true, true, false, ""});
  t.s.children.recordConsent(t.manager, t.b.id, {true, true, false, ""});
  const auto photo = t.upload(t.kate, fakeJpeg(1600, 1200, std::string(5000, 'p')));
  const auto unattached = t.upload(t.kate, fakeJpeg(800, 600, std::string(5000, 'q')));

  // Attach with both children tagged to an entry about both.
  auto created = t.kate.call("POST", "/api/v1/entries",
                             Json{{"kind", "observation"}, {"title", "Den building"}, {"observed_on", "2026-05-20"},
                                  {"child_ids", {t.a.id, t.b.id}},
                                  {"media", {{{"id", photo}, {"child_ids", {t.a.id, t.b.id}}}}}}.dump());
  REQUIRE(created.status == 201);
  const auto entryId = Json::parse(created.body)["entry"]["id"].get<std::string>();
  const auto served = [&](Client& c, const std::string& id, const std::string& variant) {
    return c.call("GET", "/api/v1/media/" + id + "/" + variant);
  };
  const auto staffOriginal = served(t.kate, photo, "original");
  REQUIRE(staffOriginal.status == 200);
  const auto accel = *headerOf(staffOriginal, "X-Accel-Redirect");
  CHECK(accel.rfind("/_nestbox_media/objects/", 0) == 0);
  CHECK(staffOriginal.body.empty());  // nginx sends the bytes
  CHECK(served(t.kate, photo, "thumbnail").status == 200);
  CHECK(served(t.kate, photo, "poster").status == 404);

  CHECK(served(t.parentAClient, photo, "display").status == 200);
  CHECK(served(t.parentBClient, photo, "display").status == 200);
  CHECK(served(t.parentAClient, unattached, "display").status == 404);  // not in any entry they see

  // Ben's family withdraws consent to other journals: Ava's family loses the photo at once.
  t.s.children.recordConsent(t.manager, t.b.id, {true, false, false, ""});
  CHECK(served(t.parentAClient, photo, "display").status == 404);
  CHECK(served(t.parentAClient, photo, "original").status == 404);
  CHECK(served(t.parentBClient, photo, "display").status == 200);

  // Kate obscures Ben: Ava's family gets the redacted copy, and the original is deleted.
  const auto originalHash = *t.s.store.media(photo)->sha256;
  auto redact = t.kate.call("POST", "/api/v1/media/" + photo + "/redact",
                            Json{{"regions", {{{"x", 100}, {"y", 100}, {"width", 300}, {"height", 300}}}},
                                 {"obscured_child_ids", {t.b.id}}}.dump());
  REQUIRE(redact.status == 200);
  CHECK(Json::parse(redact.body)["media"]["original_kept"] == false);
  const auto forA = served(t.parentAClient, photo, "display");
  REQUIRE(forA.status == 200);
  const auto redactedHash = *t.s.store.media(photo)->redactedSha256;
  CHECK(headerOf(forA, "X-Accel-Redirect")->find(redactedHash) != std::string::npos);
  CHECK(fileSize(t.s.mediaFiles.objectPath(originalHash)) == -1);
  CHECK(fileSize(t.s.mediaFiles.derivedPath(originalHash, "display")) == -1);
  CHECK(t.s.auditCount("NBX_MEDIA_REDACTED") == 1);
  // Regions outside the photo and children not in it are refused.
  CHECK(t.kate.call("POST", "/api/v1/media/" + photo + "/redact",
                    Json{{"regions", {{{"x", 1500}, {"y", 0}, {"width", 300}, {"height", 10}}}}}.dump()).status == 400);
  CHECK(t.parentAClient.call("POST", "/api/v1/media/" + photo + "/redact",
                             Json{{"regions", {{{"x", 1}, {"y", 1}, {"width", 3}, {"height", 3}}}}}.dump()).status == 403);

  // Parent C's family has no child in the entry.
  Client parentC(t.s);
  REQUIRE(parentC.signIn("parent.c", "blue whale singing").status == 200);
  CHECK(served(parentC, photo, "display").status == 404);
  (void)entryId;
}

TEST_CASE("redaction covers each area with the setting's margin, keeps the areas, and copies are covered again") {
  UploadSetting t;
  t.s.children.recordConsent(t.manager, t.a.id, {true, true, false, ""});
  t.s.children.recordConsent(t.manager, t.b.id, {true, false, false, ""});  // Ben: not in other journals
  const auto photo = t.upload(t.kate, fakeJpeg(1600, 1200, std::string(5000, 'p')));
  REQUIRE(t.kate.call("POST", "/api/v1/entries",
                      Json{{"kind", "observation"}, {"title", "Den building"}, {"observed_on", "2026-05-20"},
                           {"child_ids", {t.a.id, t.b.id}},
                           {"media", {{{"id", photo}, {"child_ids", {t.a.id, t.b.id}}}}}}.dump()).status == 201);
  const auto display = [&](Client& c) { return c.call("GET", "/api/v1/media/" + photo + "/display").status; };
  const auto same = [](const media::Region& r, int64_t x, int64_t y, int64_t w, int64_t h) {
    return r.x == x && r.y == y && r.width == w && r.height == h && !r.pixelate;
  };
  CHECK(display(t.parentAClient) == 404);

  // Kate covers Ben: the area grows by 10 % of its size on every side; a name tag is pixelated
  // exactly as marked, because she asked for it.
  auto redact = t.kate.call("POST", "/api/v1/media/" + photo + "/redact",
                            Json{{"regions", {{{"x", 100}, {"y", 100}, {"width", 300}, {"height", 300}},
                                              {{"x", 1000}, {"y", 50}, {"width", 100}, {"height", 40}, {"style", "pixelate"}}}},
                                 {"obscured_child_ids", {t.b.id}}}.dump());
  REQUIRE(redact.status == 200);
  const auto shown = Json::parse(redact.body)["media"];
  CHECK(shown["redaction"] == "cover");
  CHECK(shown["redaction_regions"].size() == 2);
  CHECK(shown["redaction_regions"][1]["style"] == "pixelate");
  REQUIRE(t.s.processor.lastRegions.size() == 2);
  CHECK(same(t.s.processor.lastRegions[0], 70, 70, 360, 360));
  CHECK(t.s.processor.lastRegions[1].pixelate);
  CHECK(t.s.processor.lastRegions[1].width == 100);
  CHECK(display(t.parentAClient) == 200);
  // A style the box does not know is refused, and nothing changes.
  const auto before = *t.s.store.media(photo);
  CHECK(t.kate.call("POST", "/api/v1/media/" + photo + "/redact",
                    Json{{"regions", {{{"x", 1}, {"y", 1}, {"width", 3}, {"height", 3}, {"style", "blur"}}}}}.dump()).status == 400);
  CHECK(t.s.store.media(photo)->redactedSha256 == before.redactedSha256);

  // The manager widens the margin: the job covers the stored copy again, over itself.
  REQUIRE(t.managerClient.call("PATCH", "/api/v1/settings", Json{{"redaction_margin_pct", 20}}.dump()).status == 200);
  CHECK(t.managerClient.call("PATCH", "/api/v1/settings", Json{{"redaction_margin_pct", 51}}.dump()).status == 400);
  const auto job = t.s.media.coverAgain();
  CHECK(job["covered"] == 1);
  CHECK(job["to_mark_again"] == 0);
  CHECK(same(t.s.processor.lastRegions[0], 40, 40, 420, 420));
  const auto widened = *t.s.store.media(photo);
  CHECK(widened.redactionMargin == 20);
  CHECK(widened.redactedSha256 != before.redactedSha256);
  CHECK(fileSize(t.s.mediaFiles.objectPath(*before.redactedSha256)) == -1);  // the old copy is gone
  CHECK(t.s.auditCount("NBX_MEDIA_COVERED_AGAIN") == 1);
  CHECK(t.s.media.coverAgain()["covered"] == 0);  // once

  // A copy made before issue 32 (pixelated, areas unknown): no family gets it, staff still
  // do, and the job counts it for staff to mark again.
  auto old = widened;
  old.redaction = "mosaic";
  old.redactionRegions.clear();
  t.s.store.updateMedia(old);
  CHECK(display(t.parentAClient) == 404);
  CHECK(display(t.kate) == 200);
  CHECK(t.s.media.coverAgain()["to_mark_again"] == 1);
  CHECK(t.s.media.countToMarkAgain() == 1);
  // Kate marks Ben again, over the stored copy: covered, and Ava's family has it back.
  REQUIRE(t.kate.call("POST", "/api/v1/media/" + photo + "/redact",
                      Json{{"regions", {{{"x", 100}, {"y", 100}, {"width", 300}, {"height", 300}}}},
                           {"obscured_child_ids", {t.b.id}}}.dump()).status == 200);
  CHECK(t.s.store.media(photo)->redaction == "cover");
  CHECK(t.s.media.countToMarkAgain() == 0);
  CHECK(display(t.parentAClient) == 200);
}

TEST_CASE("attaching media checks consent, ownership and which children may be tagged") {
  UploadSetting t;
  t.s.children.recordConsent(t.manager, t.a.id, {true, true, false, ""});
  t.s.children.recordConsent(t.manager, t.b.id, {false, false, false, "No photos"});
  const auto photo = t.upload(t.kate, fakeJpeg(100, 100, std::string(5000, 'a')));
  auto entry = [&](const Json& media, std::vector<std::string> children) {
    return t.kate.call("POST", "/api/v1/entries",
                       Json{{"kind", "observation"}, {"title", "Painting"}, {"observed_on", "2026-05-20"},
                            {"child_ids", children}, {"media", media}}.dump());
  };
  const auto noConsent = entry(Json::array({{{"id", photo}, {"child_ids", {t.b.id}}}}), {t.a.id, t.b.id});
  CHECK(noConsent.status == 422);
  CHECK(Json::parse(noConsent.body)["message"].get<std::string>().find("Ben") != std::string::npos);
  CHECK(entry(Json::array({{{"id", photo}, {"child_ids", {t.c.id}}}}), {t.a.id}).status == 400);  // not in the entry
  CHECK(entry(Json::array({{{"id", std::string(32, 'f')}, {"child_ids", Json::array()}}}), {t.a.id}).status == 400);
  REQUIRE(entry(Json::array({{{"id", photo}, {"child_ids", {t.a.id}}}}), {t.a.id}).status == 201);
  // Already attached elsewhere.
  CHECK(entry(Json::array({{{"id", photo}, {"child_ids", {t.a.id}}}}), {t.a.id}).status == 400);
  // A parent's own upload cannot be attached by another parent.
  const auto parentPhoto = t.upload(t.parentAClient, fakeJpeg(10, 10, std::string(5000, 'h')));
  CHECK(t.parentBClient.call("POST", "/api/v1/contributions",
                             Json{{"child_id", t.b.id}, {"title", "At home"}, {"observed_on", "2026-05-20"},
                                  {"media_ids", {parentPhoto}}}.dump()).status == 400);
  // Its uploader attaches it to a home observation; staff approve, tagging the child.
  auto sent = t.parentAClient.call("POST", "/api/v1/contributions",
                                   Json{{"child_id", t.a.id}, {"title", "At home"}, {"observed_on", "2026-05-20"},
                                        {"media_ids", {parentPhoto}}}.dump());
  REQUIRE(sent.status == 201);
  const auto contributionId = Json::parse(sent.body)["contribution"]["id"].get<std::string>();
  CHECK(t.parentBClient.call("GET", "/api/v1/media/" + parentPhoto + "/display").status == 404);
  CHECK(t.parentAClient.call("GET", "/api/v1/media/" + parentPhoto + "/display").status == 200);
  REQUIRE(t.kate.call("POST", "/api/v1/contributions/" + contributionId + "/approve").status == 200);
  CHECK(t.s.store.media(parentPhoto)->children.size() == 1);
}

TEST_CASE("the check finds orphans and missing files, and repairs them") {
  UploadSetting t;
  const auto photo = t.upload(t.kate, fakeJpeg(100, 100, std::string(5000, 'c')));
  CHECK(t.s.media.check(false).consistent());
  const auto hash = *t.s.store.media(photo)->sha256;

  system::writeFileAtomic(t.s.mediaFiles.root() + "/uploads/" + std::string(32, 'e') + ".part", "stray", 0640);
  system::removeFileIfExists(t.s.mediaFiles.derivedPath(hash, "thumb"));
  const std::string strayHash(64, 'd');
  system::ensureDirectory(t.s.mediaFiles.root() + "/objects/dd", 0750);
  system::writeFileAtomic(t.s.mediaFiles.objectPath(strayHash), "orphan", 0640);

  const auto found = t.s.media.check(false);
  CHECK(found.orphanParts == 1);
  CHECK(found.orphanObjects == 1);
  CHECK(found.missingDerived == 1);
  const auto repaired = t.s.media.check(true);
  CHECK(repaired.repaired == 3);
  CHECK(t.s.media.check(false).consistent());
  CHECK(fileSize(t.s.mediaFiles.derivedPath(hash, "thumb")) > 0);

  // A stored file lost entirely: the item is marked failed, never served as if present.
  system::removeFileIfExists(t.s.mediaFiles.objectPath(hash));
  CHECK(t.s.media.check(false).missingObjects == 1);
  t.s.media.check(true);
  CHECK(t.s.store.media(photo)->state == "failed");
}
