#include "requests/open311/update_documents.hpp"

#include <gtest/gtest.h>

namespace zocalo::requests::open311 {
namespace {

constexpr std::string_view kXmlDeclaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

TEST(UpdateDocumentsTest, UpdatesAreFixMyStreetRequestUpdates) {
  const std::vector<UpdateView> updates{
      {"12", "7KQ3M9XA", RequestStatus::kClosedNotFixed, 1793642400, "No <procede>", ""}};
  EXPECT_EQ(render_updates(updates, Format::kJson),
            R"([{"update_id":"12","service_request_id":"7KQ3M9XA","status":"NO_FURTHER_ACTION",)"
            R"("updated_datetime":"2026-11-02T18:00:00Z","description":"No <procede>",)"
            R"("media_url":null}])");
  EXPECT_EQ(render_updates(updates, Format::kXml),
            std::string(kXmlDeclaration) +
                "<service_request_updates><request_update><update_id>12</update_id>"
                "<service_request_id>7KQ3M9XA</service_request_id>"
                "<status>NO_FURTHER_ACTION</status>"
                "<updated_datetime>2026-11-02T18:00:00Z</updated_datetime>"
                "<description>No &lt;procede&gt;</description><media_url/>"
                "</request_update></service_request_updates>");
  EXPECT_EQ(render_updates({}, Format::kJson), "[]");
}

TEST(UpdateDocumentsTest, ThePostAnswerNamesTheNewUpdate) {
  EXPECT_EQ(render_update_answer("812", Format::kJson), R"([{"update_id":"812"}])");
  EXPECT_EQ(render_update_answer("812", Format::kXml),
            std::string(kXmlDeclaration) +
                "<service_request_updates><request_update><update_id>812</update_id>"
                "</request_update></service_request_updates>");
}

}  // namespace
}  // namespace zocalo::requests::open311
