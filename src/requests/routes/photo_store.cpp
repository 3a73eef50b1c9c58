#include "requests/routes/photo_store.hpp"

#include <utility>

#include "platform/core/log.hpp"
#include "requests/store/resident_request_store.hpp"

namespace zocalo::requests {

Result<CreatedRequest> PhotoStore::file(AreaLocator& areas, const NewServiceRequest& request,
                                        const Service& service, const std::string& chosen_area,
                                        std::string_view locale, std::string_view base_url,
                                        const std::optional<StoredPhoto>& photo) {
  ResidentRequestStore::AlsoInTransaction photo_row;
  if (photo) {
    photo_row = [&](soci::session& sql, const CreatedRequest& created) -> Status {
      long long id = created.id;
      long long at = request.requested_at;
      sql << "INSERT INTO request_photos (request_id, photo_sha256, thumb_sha256, created_at) "
             "VALUES (:id, :photo, :thumb, :at)",
          soci::use(id), soci::use(photo->photo_sha256), soci::use(photo->thumb_sha256),
          soci::use(at);
      return {};
    };
  }
  auto created = ResidentRequestStore(db_).file(areas, request, service, chosen_area, locale,
                                                base_url, photo_row);
  if (!created && photo) discard_unnamed(*photo);
  return created;
}

void PhotoStore::discard_unnamed(const StoredPhoto& photo) {
  if (blobs_ == nullptr) return;
  for (const std::string& name : {photo.photo_sha256, photo.thumb_sha256}) {
    bool named = true;
    const Status looked = db_.read([&](soci::session& sql) -> Status {
      long long id = 0;
      sql << "SELECT request_id FROM request_photos WHERE photo_sha256 = :n LIMIT 1",
          soci::use(name), soci::into(id);
      named = sql.got_data();
      if (!named) {
        sql << "SELECT request_id FROM request_photos WHERE thumb_sha256 = :n LIMIT 1",
            soci::use(name), soci::into(id);
        named = sql.got_data();
      }
      return {};
    });
    if (!looked) {
      log::warn("requests.photo_discard_failed",
                {{"sha256", name}, {"detail", looked.error().detail}});
      continue;
    }
    if (named) continue;
    if (auto removed = blobs_->remove(name); !removed) {
      log::warn("requests.photo_discard_failed",
                {{"sha256", name}, {"detail", removed.error().detail}});
    }
  }
}

Result<std::optional<StoredPhoto>> PhotoStore::public_photo(long long request_id) {
  std::optional<StoredPhoto> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    std::string photo, thumb;
    soci::indicator ind = soci::i_null;
    sql << "SELECT p.photo_sha256, p.thumb_sha256 FROM request_photos p "
           "JOIN service_requests r ON r.id = p.request_id "
           "WHERE p.request_id = :id AND r.private = 0 "
           "ORDER BY p.created_at, p.photo_sha256 LIMIT 1",
        soci::use(request_id), soci::into(photo, ind), soci::into(thumb);
    if (sql.got_data() && ind == soci::i_ok) out = StoredPhoto{photo, thumb};
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<bool> PhotoStore::is_public(std::string_view sha256) {
  bool found = false;
  std::string name(sha256);
  const Status done = db_.read([&](soci::session& sql) -> Status {
    long long id = 0;
    // Two indexed lookups (photo, thumbnail) rather than an OR that may scan the table.
    sql << "SELECT r.id FROM request_photos p JOIN service_requests r ON r.id = p.request_id "
           "WHERE p.photo_sha256 = :name AND r.private = 0 LIMIT 1",
        soci::use(name), soci::into(id);
    found = sql.got_data();
    if (!found) {
      sql << "SELECT r.id FROM request_photos p JOIN service_requests r ON r.id = p.request_id "
             "WHERE p.thumb_sha256 = :name AND r.private = 0 LIMIT 1",
          soci::use(name), soci::into(id);
      found = sql.got_data();
    }
    return {};
  });
  if (!done) return fail(done.error());
  return found;
}

}  // namespace zocalo::requests
