#pragma once
// Where media bytes live, under one root (<data dir>/media):
//   uploads/<id>.part            a resumable upload as its bytes arrive
//   incoming/<id>                a finished upload waiting to be processed (never served)
//   objects/<h2>/<sha256>        stored originals and redacted copies, named by content hash
//   derived/<h2>/<sha256>.<v>.jpg  thumbnails and display copies of an object
//   tmp/                         outputs being written; renamed into place once complete
//   exports/<id>.zip             journal exports, kept 7 days (not backed up: they are copies)
// Every placement is crash-safe: data fsynced, renamed, directory fsynced. Only objects/
// and derived/ (and a requester's own finished export) are ever handed to nginx to serve.

#include <cstdint>
#include <string>
#include <vector>

namespace nestbox::storage {

class MediaFiles {
 public:
  // Creates the folders (mode 0750) if missing.
  explicit MediaFiles(std::string root);

  const std::string& root() const { return root_; }
  std::string partPath(const std::string& uploadId) const;
  std::string incomingPath(const std::string& mediaId) const;
  std::string exportPath(const std::string& exportId) const;
  std::string exportRelative(const std::string& exportId) const;  // "exports/<id>.zip"
  std::string objectPath(const std::string& sha256) const;
  std::string derivedPath(const std::string& sha256, const std::string& variant) const;
  // Paths below root() as nginx's internal location sees them ("objects/ab/abcd...").
  std::string objectRelative(const std::string& sha256) const;
  std::string derivedRelative(const std::string& sha256, const std::string& variant) const;
  // A fresh name under tmp/ (the caller removes it or commits it).
  std::string tempPath(const std::string& hint) const;

  // Hashes `tempFile`, fsyncs it, and renames it to objects/ under its SHA-256; when that
  // object already exists the temporary file is removed instead. Returns the hash.
  std::string commitObject(const std::string& tempFile);
  // fsyncs `tempFile` and renames it to the derived path.
  void commitDerived(const std::string& tempFile, const std::string& sha256, const std::string& variant);
  // Renames a finished upload's part file to incoming/.
  void moveToIncoming(const std::string& uploadId, const std::string& mediaId);

  void removeObject(const std::string& sha256);  // with its derivatives
  std::vector<std::string> objectHashes() const;
  std::vector<std::string> derivedFiles() const;  // full paths
  std::vector<std::string> partIds() const;
  std::vector<std::string> incomingIds() const;
  void clearTemp();

 private:
  std::string root_;
};

// Lower-case hex SHA-256 of a file's content, read in bounded pieces.
std::string sha256OfFile(const std::string& path);
// fsyncs a file or directory.
void syncPath(const std::string& path);

}  // namespace nestbox::storage
