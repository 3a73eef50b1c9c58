#include "platform/http/form.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace zocalo::http {
namespace {

using namespace std::string_literals;

// ---------------------------------------------------------------- UTF-8

struct Utf8Case {
  const char* label;
  std::string bytes;
  bool valid;
};

class Utf8Validity : public testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8Validity, MatchesUnicodeTable37) {
  EXPECT_EQ(utf8::is_valid(GetParam().bytes), GetParam().valid) << GetParam().label;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Utf8Validity,
    testing::Values(Utf8Case{"empty", "", true}, Utf8Case{"ascii", "agua potable", true},
                    Utf8Case{"nul is a code point", "a\0b"s, true},
                    Utf8Case{"two byte", "Coyoac\xC3\xA1n", true},
                    Utf8Case{"three byte", "\xE2\x82\xAC", true},         // U+20AC
                    Utf8Case{"four byte", "\xF0\x9F\x8C\xAE", true},      // U+1F32E taco
                    Utf8Case{"last scalar", "\xF4\x8F\xBF\xBF", true},    // U+10FFFF
                    Utf8Case{"before surrogates", "\xED\x9F\xBF", true},  // U+D7FF
                    Utf8Case{"after surrogates", "\xEE\x80\x80", true},   // U+E000
                    Utf8Case{"lone continuation", "\x80", false},
                    Utf8Case{"overlong slash C0", "\xC0\xAF", false},
                    Utf8Case{"overlong C1", "\xC1\xBF", false},
                    Utf8Case{"overlong three byte", "\xE0\x80\xAF", false},
                    Utf8Case{"overlong three byte max", "\xE0\x9F\xBF", false},
                    Utf8Case{"overlong four byte", "\xF0\x80\x80\xAF", false},
                    Utf8Case{"overlong four byte max", "\xF0\x8F\xBF\xBF", false},
                    Utf8Case{"high surrogate", "\xED\xA0\x80", false},  // U+D800
                    Utf8Case{"low surrogate", "\xED\xBF\xBF", false},   // U+DFFF
                    Utf8Case{"cesu pair", "\xED\xA0\xBD\xED\xB8\x80", false},
                    Utf8Case{"above max", "\xF4\x90\x80\x80", false},  // U+110000
                    Utf8Case{"f5 lead", "\xF5\x80\x80\x80", false},
                    Utf8Case{"ff byte", "\xFF", false},
                    Utf8Case{"five byte form", "\xF8\x88\x80\x80\x80", false},
                    Utf8Case{"truncated two", "a\xC3", false},
                    Utf8Case{"truncated four", "\xF0\x9F\x8C", false},
                    Utf8Case{"bad continuation", "\xC3\x28", false},
                    Utf8Case{"latin1 text",
                             "Pe\xF1"
                             "a",
                             false}));

TEST(ToValidUtf8, KeepsValidTextAndReplacesEachBadByte) {
  EXPECT_EQ(utf8::to_valid("Tl\xC3\xA1huac"), "Tl\xC3\xA1huac");
  EXPECT_EQ(utf8::to_valid("a\xFF"
                           "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf8::to_valid("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(utf8::is_valid(utf8::to_valid("\xED\xA0\x80\xF0\x9F")));
}

// ---------------------------------------------------------------- percent-encoding

TEST(PercentDecode, DecodesEscapesAndPlusOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("agua%20potable", false), "agua potable");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%2B", true), "+");
  EXPECT_EQ(percent_decode("Coyoac%C3%A1n", false), "Coyoac\xC3\xA1n");
  EXPECT_EQ(percent_decode("%c3%a1", false), "\xC3\xA1");  // lowercase hex is fine
  EXPECT_EQ(percent_decode("", false), "");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  for (std::string_view bad : {"%", "%4", "abc%4", "%zz", "%g0", "%0g", "%%", "%-1", "% 20"}) {
    EXPECT_FALSE(percent_decode(bad, true).has_value()) << bad;
  }
}

TEST(PercentDecode, RejectsInvalidUtf8AfterDecoding) {
  for (std::string_view bad : {"%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%FF", "%C3", "caf%E9"}) {
    EXPECT_FALSE(percent_decode(bad, false).has_value()) << bad;
  }
  EXPECT_FALSE(percent_decode("\xC0\xAF", false).has_value()) << "raw overlong bytes";
}

TEST(PercentDecode, RejectsNul) {
  EXPECT_FALSE(percent_decode("file.txt%00.jpg", false).has_value());
  EXPECT_FALSE(percent_decode("a\0b"s, false).has_value());
}

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b&c=d/e?f#g+%"), "a%20b%26c%3Dd%2Fe%3Ff%23g%2B%25");
  EXPECT_EQ(percent_encode("\xC3\xA1"), "%C3%A1");
  EXPECT_EQ(percent_encode("\r\n"), "%0D%0A");
}

TEST(PercentEncode, RoundTripsThroughDecode) {
  const std::string samples[] = {"", "Álvaro Obregón", "a+b c", "100% ñ", "\xF0\x9F\x8C\xAE"};
  for (const std::string& s : samples) {
    EXPECT_EQ(percent_decode(percent_encode(s), true), s) << s;
  }
}

// ---------------------------------------------------------------- urlencoded

TEST(ParseUrlencoded, ReadsFieldsInOrderWithPlusAsSpace) {
  auto form = parse_urlencoded("q=agua+potable&alcaldia=Coyoac%C3%A1n&q=fuga");
  ASSERT_TRUE(form.ok()) << form.error().detail;
  ASSERT_EQ(form->fields().size(), 3u);
  EXPECT_EQ(form->get("q"), "agua potable");
  EXPECT_EQ(form->get("alcaldia"), "Coyoac\xC3\xA1n");
  EXPECT_EQ(form->get_all("q"), (std::vector<std::string_view>{"agua potable", "fuga"}));
  EXPECT_FALSE(form->has("missing"));
  EXPECT_EQ(form->get_or("missing", "default"), "default");
}

TEST(ParseUrlencoded, SkipsEmptyPairsAndKeepsValuelessNames) {
  auto form = parse_urlencoded("&&a=1&&b&c=&");
  ASSERT_TRUE(form.ok());
  ASSERT_EQ(form->fields().size(), 3u);
  EXPECT_EQ(form->get("a"), "1");
  EXPECT_EQ(form->get("b"), "");
  EXPECT_EQ(form->get("c"), "");
}

TEST(ParseUrlencoded, EmptyBodyIsAnEmptyForm) {
  auto form = parse_urlencoded("");
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form->fields().empty());
}

TEST(ParseUrlencoded, OnlyTheFirstEqualsSplits) {
  auto form = parse_urlencoded("token=abc==&x=a%3Db");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->get("token"), "abc==");
  EXPECT_EQ(form->get("x"), "a=b");
}

TEST(ParseUrlencoded, MalformedInputIsABadFormError) {
  for (std::string_view bad :
       {"a=%zz", "a=%4", "%4=1", "a=%C0%AF", "a=%ED%A0%80", "ok=1&b=%FF", "a=%00"}) {
    auto form = parse_urlencoded(bad);
    ASSERT_FALSE(form.ok()) << bad;
    EXPECT_EQ(form.error().kind, ErrorKind::kInvalidInput) << bad;
    EXPECT_EQ(form.error().user_key, "error.bad_form") << bad;
  }
}

TEST(ParseUrlencoded, TooManyFieldsIsTooLarge) {
  FormLimits limits;
  limits.max_fields = 3;
  EXPECT_TRUE(parse_urlencoded("a=1&b=2&c=3", limits).ok());
  auto form = parse_urlencoded("a=1&b=2&c=3&d=4", limits);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(form.error().user_key, "error.too_large");
}

TEST(ParseUrlencoded, HugeFieldCountStopsAtTheLimit) {
  std::string body;
  for (int i = 0; i < 100000; ++i) body += "a=1&";
  auto form = parse_urlencoded(body);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().kind, ErrorKind::kTooLarge);
}

TEST(ParseUrlencoded, EmptyPairsDoNotCountAsFields) {
  FormLimits limits;
  limits.max_fields = 1;
  EXPECT_TRUE(parse_urlencoded(std::string(10000, '&') + "a=1", limits).ok());
}

TEST(ParseUrlencoded, FieldBytesCountDecodedNameAndValue) {
  FormLimits limits;
  limits.max_field_bytes = 8;
  EXPECT_TRUE(parse_urlencoded("ab=123456", limits).ok());
  // Nine encoded bytes decode to three: still within the limit.
  EXPECT_TRUE(parse_urlencoded("n=%C3%A1%C3%A1%C3%A1", limits).ok());
  auto form = parse_urlencoded("ab=1234567", limits);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().kind, ErrorKind::kTooLarge);
  auto huge = parse_urlencoded("a=" + std::string(1000, 'x'), limits);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, ErrorKind::kTooLarge);
}

// ---------------------------------------------------------------- multipart

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

std::string text_part(std::string_view name, std::string_view value) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n" +
         std::string(value) + "\r\n";
}

std::string file_part(std::string_view name, std::string_view filename, std::string_view type,
                      std::string_view data) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"; filename=\"" + std::string(filename) + "\"\r\nContent-Type: " + std::string(type) +
         "\r\n\r\n" + std::string(data) + "\r\n";
}

const std::string kClose = "--XyZ--\r\n";

void expect_bad_form(const Result<FormData>& r, std::string_view what) {
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput) << what;
  EXPECT_EQ(r.error().user_key, "error.bad_form") << what;
}

void expect_too_large(const Result<FormData>& r, std::string_view what) {
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_EQ(r.error().kind, ErrorKind::kTooLarge) << what;
  EXPECT_EQ(r.error().user_key, "error.too_large") << what;
}

TEST(ParseMultipart, ReadsTextFieldsAndFiles) {
  const std::string body = text_part("descripcion", "Fuga de agua en Tl\xC3\xA1huac") +
                           file_part("foto", "fuga.jpg", "image/jpeg", "\xFF\xD8\xFF\x00\r\nbin"s) +
                           text_part("descripcion", "") + kClose;
  auto form = parse_multipart(body, kType);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  ASSERT_EQ(form->fields().size(), 2u);
  EXPECT_EQ(form->get("descripcion"), "Fuga de agua en Tl\xC3\xA1huac");
  EXPECT_EQ(form->get_all("descripcion")[1], "");
  ASSERT_EQ(form->files().size(), 1u);
  const UploadedFile& f = form->files()[0];
  EXPECT_EQ(f.field, "foto");
  EXPECT_EQ(f.filename, "fuga.jpg");
  EXPECT_EQ(f.content_type, "image/jpeg");
  EXPECT_EQ(f.data, "\xFF\xD8\xFF\x00\r\nbin"s);
  EXPECT_EQ(form->file("foto"), &f);
  EXPECT_EQ(form->file("descripcion"), nullptr) << "a text field is not a file";
  EXPECT_EQ(form->file("otra"), nullptr);
}

TEST(ParseMultipart, ReadsWhatBrowsersSend) {
  // As sent by Firefox for a form with one text input and one empty file input.
  const std::string type = "multipart/form-data; boundary=----geckoformboundary4e2d0a1c";
  const std::string body =
      "------geckoformboundary4e2d0a1c\r\n"
      "Content-Disposition: form-data; name=\"calle\"\r\n\r\n"
      "Av. Insurgentes Sur 1\r\n"
      "------geckoformboundary4e2d0a1c\r\n"
      "Content-Disposition: form-data; name=\"adjunto\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n"
      "\r\n"
      "------geckoformboundary4e2d0a1c--\r\n";
  auto form = parse_multipart(body, type);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->get("calle"), "Av. Insurgentes Sur 1");
  EXPECT_TRUE(form->files().empty()) << "an empty file input is not an upload";
}

struct BoundaryCase {
  const char* content_type;
  const char* boundary;  // nullptr: the content type must be refused
};

class MultipartBoundary : public testing::TestWithParam<BoundaryCase> {};

TEST_P(MultipartBoundary, IsTakenFromContentType) {
  const BoundaryCase& c = GetParam();
  const std::string b = c.boundary ? c.boundary : "XyZ";
  const std::string body =
      "--" + b + "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--" + b + "--";
  auto form = parse_multipart(body, c.content_type);
  if (c.boundary) {
    ASSERT_TRUE(form.ok()) << c.content_type << ": " << form.error().detail;
    EXPECT_EQ(form->get("a"), "1");
  } else {
    expect_bad_form(form, c.content_type);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, MultipartBoundary,
    testing::Values(BoundaryCase{"multipart/form-data; boundary=XyZ", "XyZ"},
                    BoundaryCase{"Multipart/Form-Data;BOUNDARY=XyZ", "XyZ"},
                    BoundaryCase{"multipart/form-data; charset=utf-8; boundary=\"a b:c\"", "a b:c"},
                    BoundaryCase{"multipart/form-data; boundary=\"q\\\"x\"",
                                 nullptr},  // '"' not a bchar
                    BoundaryCase{"multipart/form-data; boundary=\"(),./:=?\"", "(),./:=?"},
                    BoundaryCase{"multipart/form-data; boundary=a;", "a"},
                    BoundaryCase{"multipart/form-data; boundary=\"\"", nullptr},
                    BoundaryCase{"multipart/form-data", nullptr},
                    BoundaryCase{"multipart/form-data; charset=utf-8", nullptr},
                    BoundaryCase{"multipart/mixed; boundary=XyZ", nullptr},
                    BoundaryCase{"text/plain; boundary=XyZ", nullptr},
                    BoundaryCase{"multipart/form-data; boundary=\"trailing \"", nullptr},
                    BoundaryCase{"multipart/form-data; boundary=\"unterminated", nullptr},
                    BoundaryCase{"multipart/form-data; boundary=a; boundary=b", nullptr},
                    BoundaryCase{"multipart/form-data; boundary = a", nullptr},
                    BoundaryCase{"multipart/form-data; boundary=a\x01", nullptr},
                    BoundaryCase{"multipart/form-data; boundary=\"\xC3\xA1\"", nullptr}));

TEST(ParseMultipart, BoundaryLengthIsOneToSeventy) {
  const std::string b70(70, 'b');
  auto ok = parse_multipart("--" + b70 + "--", "multipart/form-data; boundary=" + b70);
  EXPECT_TRUE(ok.ok());
  const std::string b71(71, 'b');
  expect_bad_form(parse_multipart("--" + b71 + "--", "multipart/form-data; boundary=" + b71),
                  "71-char boundary");
}

TEST(ParseMultipart, ToleratesPreambleEpilogueAndTransportPadding) {
  const std::string body =
      "This is the preamble.\r\nIgnored.\r\n--XyZ \t\r\n"
      "Content-Disposition: form-data; name=a\r\n\r\nuno\r\n"
      "--XyZ--\r\nThis is the epilogue, --XyZ even.";
  auto form = parse_multipart(body, kType);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->get("a"), "uno");
}

TEST(ParseMultipart, OnlyCloseDelimiterIsAnEmptyForm) {
  auto form = parse_multipart("--XyZ--\r\n", kType);
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form->fields().empty());
}

TEST(ParseMultipart, KeepsCrlfInsideValuesAndAlmostBoundaries) {
  const std::string body = text_part("a", "line1\r\nline2\r\n-XyZ\r\n--Xy\r\n") + kClose;
  auto form = parse_multipart(body, kType);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->get("a"), "line1\r\nline2\r\n-XyZ\r\n--Xy\r\n");
}

TEST(ParseMultipart, BoundaryAsLinePrefixInsideBodyIsRejected) {
  // RFC 2046 §5.1.1: the boundary must not appear as the prefix of any line in a part.
  expect_bad_form(parse_multipart(text_part("a", "x\r\n--XyZextra") + kClose, kType),
                  "boundary prefix in body");
}

TEST(ParseMultipart, MissingCloseDelimiterIsRejected) {
  expect_bad_form(parse_multipart(text_part("a", "1"), kType), "no close");
  expect_bad_form(parse_multipart(text_part("a", "1") + "--XyZ", kType), "bare boundary at end");
  expect_bad_form(
      parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1", kType),
      "truncated body");
}

TEST(ParseMultipart, BodyWithoutTheBoundaryIsRejected) {
  expect_bad_form(parse_multipart("", kType), "empty body");
  expect_bad_form(parse_multipart("a=1&b=2", kType), "urlencoded body");
  expect_bad_form(parse_multipart(text_part("a", "1") + kClose, "multipart/form-data; boundary=Q"),
                  "other boundary");
}

TEST(ParseMultipart, MalformedPartHeadersAreRejected) {
  const std::pair<const char*, std::string> cases[] = {
      {"no headers", "--XyZ\r\n\r\nvalue\r\n--XyZ--"},
      {"not form-data", "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--"},
      {"no name", "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--"},
      {"no name, filename only",
       "--XyZ\r\nContent-Disposition: form-data; filename=x\r\n\r\n1\r\n--XyZ--"},
      {"duplicate name",
       "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--XyZ--"},
      {"duplicate disposition",
       "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
       "name=b\r\n\r\n1\r\n--XyZ--"},
      {"duplicate content type",
       "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: text/plain\r\n"
       "Content-Type: text/html\r\n\r\n1\r\n--XyZ--"},
      {"unterminated quote",
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--"},
      {"nested quotes",
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\"b\"\r\n\r\n1\r\n--XyZ--"},
      {"folded header", "--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--XyZ--"},
      {"no colon", "--XyZ\r\nContent-Disposition form-data; name=a\r\n\r\n1\r\n--XyZ--"},
      {"space before colon",
       "--XyZ\r\nContent-Disposition : form-data; name=a\r\n\r\n1\r\n--XyZ--"},
      {"bare LF in header",
       "--XyZ\r\nContent-Disposition: form-data; name=a\nX-Evil: 1\r\n\r\n1\r\n--XyZ--"},
      {"NUL in header",
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n\r\n1\r\n--XyZ--"s},
      {"invalid UTF-8 name",
       "--XyZ\r\nContent-Disposition: form-data; name=\"\xC0\xAF\"\r\n\r\n1\r\n--XyZ--"},
      {"invalid UTF-8 filename",
       "--XyZ\r\nContent-Disposition: form-data; name=f; filename=\"\xED\xA0\x80.txt\"\r\n\r\n1"
       "\r\n--XyZ--"},
      {"base64 transfer encoding",
       "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64"
       "\r\n\r\nMQ==\r\n--XyZ--"},
      {"unterminated header section", "--XyZ\r\nContent-Disposition: form-data; name=a\r\n--XyZ--"},
      {"garbage after boundary",
       "--XyZ junk\r\nContent-Disposition: form-data; name=a\r\n\r\n1"
       "\r\n--XyZ--"},
  };
  for (const auto& [label, body] : cases) expect_bad_form(parse_multipart(body, kType), label);
}

TEST(ParseMultipart, QuotedStringEscapesAreUnfolded) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\\\"b\\\\c\"; filename=\"mi \\\"acta\\\""
      ".pdf\"\r\n\r\n%PDF\r\n--XyZ--";
  auto form = parse_multipart(body, kType);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  ASSERT_EQ(form->files().size(), 1u);
  EXPECT_EQ(form->files()[0].field, "a\"b\\c");
  EXPECT_EQ(form->files()[0].filename, "mi \"acta\".pdf");
  EXPECT_EQ(form->files()[0].content_type, "application/octet-stream") << "the RFC 7578 default";
}

TEST(ParseMultipart, HeaderNamesAreCaseInsensitiveAndUnknownOnesIgnored) {
  const std::string body =
      "--XyZ\r\ncontent-disposition: FORM-DATA; NAME=a\r\nX-Whatever: 1\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n\xC3\xB1\r\n--XyZ--";
  auto form = parse_multipart(body, kType);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->get("a"), "\xC3\xB1");
}

TEST(ParseMultipart, FilenameIsKeptVerbatimNotAsAPath) {
  auto form =
      parse_multipart(file_part("f", "../../etc/passwd", "text/plain", "x") + kClose, kType);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->files()[0].filename, "../../etc/passwd");
}

TEST(ParseMultipart, TextFieldsMustBeValidUtf8WithoutNul) {
  expect_bad_form(parse_multipart(text_part("a", "caf\xE9") + kClose, kType), "latin1");
  expect_bad_form(parse_multipart(text_part("a", "\xC0\xAF") + kClose, kType), "overlong");
  expect_bad_form(parse_multipart(text_part("a", "\xED\xA0\x80") + kClose, kType), "surrogate");
  expect_bad_form(parse_multipart(text_part("a", "x\0y"s) + kClose, kType), "nul");
}

TEST(ParseMultipart, FilesMayHoldAnyBytes) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  auto form =
      parse_multipart(file_part("f", "all.bin", "application/octet-stream", bytes) + kClose, kType);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->files()[0].data, bytes);
}

TEST(ParseMultipart, EnforcesFieldAndFileLimits) {
  FormLimits limits;
  limits.max_fields = 2;
  limits.max_field_bytes = 10;
  limits.max_files = 1;
  limits.max_file_bytes = 4;

  EXPECT_TRUE(
      parse_multipart(text_part("a", "1") + text_part("b", "2") + kClose, kType, limits).ok());
  expect_too_large(
      parse_multipart(text_part("a", "1") + text_part("b", "2") + text_part("c", "3") + kClose,
                      kType, limits),
      "three fields");
  EXPECT_TRUE(parse_multipart(text_part("name", "123456") + kClose, kType, limits).ok());
  expect_too_large(parse_multipart(text_part("name", "1234567") + kClose, kType, limits),
                   "field bytes");
  EXPECT_TRUE(parse_multipart(file_part("f", "a", "x/y", "1234") + kClose, kType, limits).ok());
  expect_too_large(parse_multipart(file_part("f", "a", "x/y", "12345") + kClose, kType, limits),
                   "oversized file");
  expect_too_large(
      parse_multipart(file_part("f", "a", "x/y", "1") + file_part("g", "b", "x/y", "2") + kClose,
                      kType, limits),
      "two files");
  expect_too_large(
      parse_multipart(file_part("f", "", "x/y", "") + file_part("g", "", "x/y", "") + kClose, kType,
                      limits),
      "empty file parts still count");
}

TEST(ParseMultipart, HugeFieldCountStopsAtTheLimit) {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += text_part("a", "1");
  body += kClose;
  expect_too_large(parse_multipart(body, kType), "20000 fields");
}

TEST(ParseMultipart, OversizedDefaultFileIsTooLarge) {
  const std::string big(FormLimits{}.max_file_bytes + 1, 'x');
  expect_too_large(
      parse_multipart(file_part("f", "big.bin", "application/octet-stream", big) + kClose, kType),
      "10 MiB + 1");
}

TEST(ParseMultipart, PartHeaderSectionIsBounded) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: " + std::string(9000, 'p') +
      "\r\n\r\n1\r\n--XyZ--";
  expect_too_large(parse_multipart(body, kType), "9 KB header line");
  const std::string fits =
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: " + std::string(4000, 'p') +
      "\r\n\r\n1\r\n--XyZ--";
  EXPECT_TRUE(parse_multipart(fits, kType).ok());
}

}  // namespace
}  // namespace zocalo::http
