-- Photos of 311 reports (issue 4, item 4: "photo upload (resized and stripped of metadata)").
-- The bytes live in the blob store (platform/blobs), named by their SHA-256; this table says
-- which request a photo and its thumbnail belong to, so that GET /reportes/fotos/<sha>.jpg
-- serves only the photos of public requests and is never an open file server.
-- Keep migrations/sqlite/0013 in step.
CREATE TABLE request_photos (
  request_id BIGINT NOT NULL REFERENCES service_requests (id),
  photo_sha256 TEXT NOT NULL CHECK (length(photo_sha256) = 64),
  thumb_sha256 TEXT NOT NULL CHECK (length(thumb_sha256) = 64),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (request_id, photo_sha256)
);
-- The photo route looks a name up as either the photo or its thumbnail.
CREATE INDEX request_photos_photo ON request_photos (photo_sha256);
CREATE INDEX request_photos_thumb ON request_photos (thumb_sha256);
