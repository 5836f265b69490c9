#include "storage/zip_archive.hpp"

#include <zip.h>

#include <filesystem>
#include <memory>

#include "storage/media_files.hpp"

namespace nestbox::storage {
namespace {

struct State {
  const ZipCallbacks* callbacks;
  bool cancelled = false;
};

void onProgress(zip_t*, double fraction, void* ud) {
  auto* state = static_cast<State*>(ud);
  if (state->callbacks->progress) state->callbacks->progress(fraction);
}

int onCancel(zip_t*, void* ud) {
  auto* state = static_cast<State*>(ud);
  if (state->callbacks->cancelled && state->callbacks->cancelled()) state->cancelled = true;
  return state->cancelled ? 1 : 0;
}

std::string errorOf(zip_t* zip) { return zip_strerror(zip); }

}  // namespace

int64_t writeZip(const std::string& out, const std::vector<ZipMember>& members, const ZipCallbacks& callbacks) {
  const std::string temp = out + ".part";
  std::error_code ignored;
  std::filesystem::remove(temp, ignored);
  int error = 0;
  zip_t* zip = zip_open(temp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!zip) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    const std::string message = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw std::runtime_error("cannot create " + temp + ": " + message);
  }
  const auto fail = [&](const std::string& what) {
    const std::string message = what + ": " + errorOf(zip);
    zip_discard(zip);
    std::filesystem::remove(temp, ignored);
    throw std::runtime_error(message);
  };
  for (const auto& m : members) {
    zip_source_t* source = m.sourcePath.empty()
                               ? zip_source_buffer(zip, m.content.data(), m.content.size(), 0)
                               : zip_source_file(zip, m.sourcePath.c_str(), 0, -1);
    if (!source) fail("cannot read " + (m.sourcePath.empty() ? m.name : m.sourcePath));
    const zip_int64_t index = zip_file_add(zip, m.name.c_str(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(source);
      fail("cannot add " + m.name);
    }
    if (zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), m.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                 m.compress ? 6 : 0) != 0) {
      fail("cannot set the compression of " + m.name);
    }
    if (m.modifiedAt > 0) zip_file_set_mtime(zip, static_cast<zip_uint64_t>(index), static_cast<time_t>(m.modifiedAt), 0);
  }
  State state{&callbacks};
  zip_register_progress_callback_with_state(zip, 0.01, onProgress, nullptr, &state);
  zip_register_cancel_callback_with_state(zip, onCancel, nullptr, &state);
  if (zip_close(zip) != 0) {
    const bool cancelled = state.cancelled;
    const std::string message = errorOf(zip);
    zip_discard(zip);
    std::filesystem::remove(temp, ignored);
    if (cancelled) throw ZipCancelled();
    throw std::runtime_error("cannot write the zip: " + message);
  }
  syncPath(temp);
  std::filesystem::rename(temp, out);
  syncPath(std::filesystem::path(out).parent_path().string());
  return static_cast<int64_t>(std::filesystem::file_size(out));
}

}  // namespace nestbox::storage
