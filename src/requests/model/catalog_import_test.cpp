#include "requests/model/catalog_import.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace zocalo::requests {
namespace {

using T = AttributeDatatype;

// The detail of a failed parse, or "" when it succeeded.
template <class R>
std::string detail_of(const R& result) {
  if (result) return "";
  EXPECT_EQ(result.error().user_key, "requests.catalog.invalid");
  return result.error().detail;
}

constexpr std::string_view kGoodJson = R"([
  {
    "code": "luminaria-apagada",
    "name": {"es": "Luminaria apagada", "en": "Street light out"},
    "description": {"es": "Poste apagado.\nTambién intermitente.", "en": "Light out."},
    "group": {"es": "Alumbrado y calles", "en": "Lighting and streets"},
    "keywords": ["luz", " lámpara ", "light"],
    "agency_code": "sobse",
    "sla_hours": 72.5,
    "type": "batch",
    "order": 10,
    "active": false,
    "attributes": [
      {"code": "cuantas", "datatype": "singlevaluelist", "required": true, "order": 5,
       "description": "¿Cuántas luminarias?", "datatype_description": "Elija una",
       "values": [{"key": "1", "name": "Una"}, {"key": "2+", "name": "Dos o más"}]},
      {"code": "aviso", "datatype": "string", "variable": false, "order": 6,
       "description": "Si hay cables expuestos, llame al 911."}
    ]
  },
  {"code": "bache", "name": {"es": "Bache"}, "agency_code": "sobse"}
])";

TEST(CatalogJsonTest, ParsesEveryField) {
  auto services = parse_catalog_json(kGoodJson);
  ASSERT_TRUE(services) << services.error().detail;
  ASSERT_EQ(services->size(), 2u);
  const Service& s = (*services)[0];
  EXPECT_EQ(s.code, "luminaria-apagada");
  EXPECT_EQ(s.name.es, "Luminaria apagada");
  EXPECT_EQ(s.name.en, "Street light out");
  EXPECT_EQ(s.description.es, "Poste apagado.\nTambién intermitente.");
  EXPECT_EQ(s.group.en, "Lighting and streets");
  EXPECT_EQ(s.keywords, (std::vector<std::string>{"luz", "lámpara", "light"}));
  EXPECT_EQ(s.agency_code, "sobse");
  EXPECT_DOUBLE_EQ(s.sla_hours, 72.5);
  EXPECT_EQ(s.type, ServiceType::kBatch);
  EXPECT_EQ(s.order, 10);
  EXPECT_FALSE(s.active);
  ASSERT_EQ(s.attributes.size(), 2u);
  const AttributeDefinition& a = s.attributes[0];
  EXPECT_EQ(a.code, "cuantas");
  EXPECT_EQ(a.datatype, T::kSingleValueList);
  EXPECT_TRUE(a.variable);
  EXPECT_TRUE(a.required);
  EXPECT_EQ(a.order, 5);
  EXPECT_EQ(a.datatype_description, "Elija una");
  ASSERT_EQ(a.values.size(), 2u);
  EXPECT_EQ(a.values[1].key, "2+");
  EXPECT_EQ(a.values[1].name, "Dos o más");
  EXPECT_FALSE(s.attributes[1].variable);
}

TEST(CatalogJsonTest, OptionalMembersTakeTheirDefaults) {
  auto services = parse_catalog_json(
      R"([{"code": "bache", "name": {"es": "Bache"}, "agency_code": "sobse",
           "attributes": [{"code": "a", "datatype": "number", "description": "¿Tamaño?"},
                          {"code": "b", "datatype": "text", "description": "¿Detalles?"}]}])");
  ASSERT_TRUE(services) << services.error().detail;
  const Service& s = services->front();
  EXPECT_EQ(s.type, ServiceType::kRealtime);
  EXPECT_TRUE(s.active);
  EXPECT_EQ(s.order, 0);
  EXPECT_EQ(s.sla_hours, 0);
  EXPECT_TRUE(s.keywords.empty());
  EXPECT_EQ(s.name.en, "");
  EXPECT_EQ(s.attributes[0].order, 1);  // its position
  EXPECT_EQ(s.attributes[1].order, 2);
  EXPECT_TRUE(s.attributes[1].variable);
  EXPECT_FALSE(s.attributes[1].required);
}

TEST(CatalogJsonTest, EmptyArrayIsAnEmptyCatalog) {
  auto services = parse_catalog_json(" [ ] ");
  ASSERT_TRUE(services);
  EXPECT_TRUE(services->empty());
}

TEST(CatalogJsonTest, ByteOrderMarkIsSkipped) {
  EXPECT_TRUE(parse_catalog_json("\xEF\xBB\xBF[]"));
}

TEST(CatalogJsonTest, SyntaxErrorNamesLineAndColumn) {
  const std::string detail =
      detail_of(parse_catalog_json("[\n  {\"code\": \"a\",\n   \"name\" }\n]"));
  EXPECT_TRUE(detail.starts_with("line 3, column 11: invalid JSON")) << detail;
}

TEST(CatalogJsonTest, RootMustBeAnArray) {
  EXPECT_EQ(detail_of(parse_catalog_json(R"({"services": []})")),
            "line 1: the catalog must be a JSON array");
}

struct JsonCase {
  const char* name;
  std::string json;
  std::string detail;
};

// One service, with `member` spliced in after a valid code, name and agency.
std::string one_service(const std::string& members) {
  return R"([{"code": "bache", "name": {"es": "Bache"}, "agency_code": "sobse")" +
         (members.empty() ? "" : ", " + members) + "}]";
}

class CatalogJsonErrorTest : public ::testing::TestWithParam<JsonCase> {};

TEST_P(CatalogJsonErrorTest, NamesTheItemAndField) {
  EXPECT_EQ(detail_of(parse_catalog_json(GetParam().json)), GetParam().detail);
}

INSTANTIATE_TEST_SUITE_P(
    Catalog, CatalogJsonErrorTest,
    ::testing::Values(
        JsonCase{"UnknownMember", one_service(R"("sla_hour": 3)"),
                 "item 1 ('bache'): unknown member 'sla_hour'"},
        JsonCase{"SlaNotANumber", one_service(R"("sla_hours": "72")"),
                 "item 1 ('bache'), sla_hours: not a number"},
        JsonCase{"SlaNegative", one_service(R"("sla_hours": -1)"),
                 "item 1 ('bache'), sla_hours: must be a number from 0 to 10000"},
        JsonCase{"SlaTooLarge", one_service(R"("sla_hours": 10000.5)"),
                 "item 1 ('bache'), sla_hours: must be a number from 0 to 10000"},
        JsonCase{"UnknownType", one_service(R"("type": "instant")"),
                 "item 1 ('bache'), type: unknown type 'instant' (realtime, batch, blackbox)"},
        JsonCase{"OrderNotInteger", one_service(R"("order": 1.5)"),
                 "item 1 ('bache'), order: must be an integer from -1000000 to 1000000"},
        JsonCase{"OrderTooLarge", one_service(R"("order": 99999999999)"),
                 "item 1 ('bache'), order: must be an integer from -1000000 to 1000000"},
        JsonCase{"ActiveNotBool", one_service(R"("active": "yes")"),
                 "item 1 ('bache'), active: must be true or false"},
        JsonCase{"NameNotObject", R"([{"code": "bache", "name": "Bache", "agency_code": "x"}])",
                 "item 1 ('bache'), name: must be an object {\"es\": ..., \"en\": ...}"},
        JsonCase{"NameOtherLanguage",
                 R"([{"code": "bache", "name": {"es": "Bache", "fr": "Nid"}, "agency_code": "x"}])",
                 "item 1 ('bache'), name: unknown member 'fr'"},
        JsonCase{"SpanishNameMissing",
                 R"([{"code": "bache", "name": {"en": "Pothole"}, "agency_code": "x"}])",
                 "item 1 ('bache'), name.es: required"},
        JsonCase{"SpanishNameBlank",
                 R"([{"code": "bache", "name": {"es": "  "}, "agency_code": "x"}])",
                 "item 1 ('bache'), name.es: required"},
        JsonCase{"CodeMissing", R"([{"name": {"es": "Bache"}, "agency_code": "x"}])",
                 "item 1, code: required"},
        JsonCase{"CodeBadCharacters",
                 R"([{"code": "bache/1", "name": {"es": "Bache"}, "agency_code": "x"}])",
                 "item 1 ('bache/1'), code: 'bache/1' must be 1-64 of A-Z a-z 0-9 _ -"},
        JsonCase{"AgencyMissing", R"([{"code": "bache", "name": {"es": "Bache"}}])",
                 "item 1 ('bache'), agency_code: required"},
        JsonCase{"ItemNotObject",
                 R"([{"code": "bache", "name": {"es": "B"}, "agency_code": "x"}, 3])",
                 "item 2: must be an object"},
        JsonCase{"DuplicateCode",
                 R"([{"code": "bache", "name": {"es": "B"}, "agency_code": "x"},
                     {"code": "luz", "name": {"es": "L"}, "agency_code": "x"},
                     {"code": "bache", "name": {"es": "B2"}, "agency_code": "x"}])",
                 "item 3 ('bache'), code: repeated (first at item 1)"},
        JsonCase{"KeywordWithComma", one_service(R"("keywords": ["luz, lampara"])"),
                 "item 1 ('bache'), keywords: 'luz, lampara' contains a comma (Open311 joins "
                 "them with commas)"},
        JsonCase{"KeywordNotString", one_service(R"("keywords": [1])"),
                 "item 1 ('bache'), keywords: must hold strings"},
        JsonCase{"ControlCharacterInName",
                 R"([{"code": "bache", "name": {"es": "Ba\u0007che"}, "agency_code": "x"}])",
                 "item 1 ('bache'), name.es: contains a control character"},
        JsonCase{"NameTooLong",
                 R"([{"code": "bache", "name": {"es": ")" + std::string(201, 'n') +
                     R"("}, "agency_code": "x"}])",
                 "item 1 ('bache'), name.es: longer than 200 characters"},
        JsonCase{"AttributeUnknownDatatype",
                 one_service(R"("attributes": [{"code": "a", "datatype": "photo",
                                                "description": "Foto"}])"),
                 "item 1 ('bache'), attributes[0] ('a'), datatype: unknown datatype 'photo'"},
        JsonCase{"AttributeWithoutDescription",
                 one_service(R"("attributes": [{"code": "a", "datatype": "number"}])"),
                 "item 1 ('bache'), attributes[0] ('a'), description: required"},
        JsonCase{"AttributeListWithoutValues",
                 one_service(R"("attributes": [{"code": "a", "datatype": "singlevaluelist",
                                                "description": "¿Cuál?"}])"),
                 "item 1 ('bache'), attributes: attribute a: a list needs values"},
        JsonCase{"AttributeOrderRepeated", one_service(R"("attributes": [
                     {"code": "a", "datatype": "number", "description": "¿A?", "order": 1},
                     {"code": "b", "datatype": "number", "description": "¿B?", "order": 1}])"),
                 "item 1 ('bache'), attributes: attribute b: order 1 already used by a"},
        JsonCase{"AttributeRequiredButNotVariable",
                 one_service(R"("attributes": [{"code": "a", "datatype": "string",
                     "description": "Aviso", "variable": false, "required": true}])"),
                 "item 1 ('bache'), attributes: attribute a: required but not variable"},
        JsonCase{"AttributeValueWithoutName",
                 one_service(R"("attributes": [{"code": "a", "datatype": "singlevaluelist",
                     "description": "¿Cuál?", "values": [{"key": "1"}]}])"),
                 "item 1 ('bache'), attributes[0] ('a'), values[0], name: required"}),
    [](const ::testing::TestParamInfo<JsonCase>& info) { return info.param.name; });

TEST(CatalogJsonTest, HugeNumbersAreRejectedNotInfinite) {
  // 1e400 overflows a double: Boost.JSON refuses it rather than giving infinity.
  const std::string detail = detail_of(parse_catalog_json(one_service(R"("sla_hours": 1e400)")));
  EXPECT_FALSE(detail.empty());
}

TEST(CatalogJsonTest, CodeLongerThan64IsRejected) {
  const std::string json = R"([{"code": ")" + std::string(65, 'a') +
                           R"(", "name": {"es": "Bache"}, "agency_code": "x"}])";
  const std::string detail = detail_of(parse_catalog_json(json));
  EXPECT_NE(detail.find("code: '"), std::string::npos) << detail;
  EXPECT_NE(detail.find("must be 1-64"), std::string::npos) << detail;
  const std::string ok = R"([{"code": ")" + std::string(64, 'a') +
                         R"(", "name": {"es": "Bache"}, "agency_code": "x"}])";
  EXPECT_TRUE(parse_catalog_json(ok));
}

TEST(CatalogJsonTest, InvalidUtf8IsRejected) {
  const std::string detail =
      detail_of(parse_catalog_json("[{\"code\": \"bache\", \"name\": {\"es\": \"Ba\xC3\x28\"}}]"));
  EXPECT_NE(detail.find("invalid JSON"), std::string::npos) << detail;
}

TEST(CatalogJsonTest, DeepNestingIsRejectedWithoutRecursion) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_NE(detail_of(parse_catalog_json(deep)).find("invalid JSON"), std::string::npos);
}

TEST(CatalogJsonTest, FileOverFiveMebibytesIsTooLarge) {
  std::string big = "[" + std::string(kCatalogMaxBytes, ' ') + "]";
  auto result = parse_catalog_json(big);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(result.error().user_key, "requests.catalog.invalid");
}

std::string many_services(std::size_t n) {
  std::string json = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) json += ",";
    json += R"({"code": "s)" + std::to_string(i) + R"(", "name": {"es": "S"}, "agency_code": "x"})";
  }
  return json + "]";
}

TEST(CatalogJsonTest, AtMostTwoThousandServices) {
  EXPECT_TRUE(parse_catalog_json(many_services(kCatalogMaxServices)));
  EXPECT_EQ(detail_of(parse_catalog_json(many_services(kCatalogMaxServices + 1))),
            "more than 2000 services");
}

TEST(CatalogJsonTest, AtMostOneHundredAttributes) {
  std::string attributes;
  for (int i = 0; i <= 100; ++i) {
    if (i) attributes += ",";
    attributes +=
        R"({"code": "a)" + std::to_string(i) + R"(", "datatype": "number", "description": "¿?"})";
  }
  EXPECT_EQ(detail_of(parse_catalog_json(one_service(R"("attributes": [)" + attributes + "]"))),
            "item 1 ('bache'), attributes: more than 100");
}

TEST(CatalogValidateTest, RejectsNotANumberSla) {
  Service s;
  s.code = "bache";
  s.name.es = "Bache";
  s.agency_code = "sobse";
  EXPECT_TRUE(validate_catalog({s}));
  s.sla_hours = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(detail_of(validate_catalog({s})),
            "item 1 ('bache'), sla_hours: must be a number from 0 to 10000");
  s.sla_hours = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(validate_catalog({s}));
}

// ---- CSV ----

constexpr std::string_view kHeader =
    "code,name_es,name_en,description_es,description_en,group_es,group_en,keywords,agency_code,"
    "sla_hours,type,order,active";

TEST(CatalogCsvTest, ParsesQuotedFieldsEscapesAndCrlf) {
  const std::string csv =
      std::string(kHeader) +
      "\r\n"
      "bache,Bache,Pothole,\"Hoyo en la calle, o hundimiento\",\"A \"\"pothole\"\"\","
      "Alumbrado y calles,Lighting and streets,\"bache, hoyo ,pothole\",sobse,72.5,realtime,10,"
      "true\r\n"
      "fuga,Fuga de agua,Water leak,\"Primera línea\r\nsegunda línea\",,Agua,Water,,sacmex,24,"
      "batch,-3,no\r\n";
  auto services = parse_catalog_csv(csv);
  ASSERT_TRUE(services) << services.error().detail;
  ASSERT_EQ(services->size(), 2u);
  const Service& bache = (*services)[0];
  EXPECT_EQ(bache.code, "bache");
  EXPECT_EQ(bache.name.en, "Pothole");
  EXPECT_EQ(bache.description.es, "Hoyo en la calle, o hundimiento");
  EXPECT_EQ(bache.description.en, "A \"pothole\"");
  EXPECT_EQ(bache.group.es, "Alumbrado y calles");
  EXPECT_EQ(bache.keywords, (std::vector<std::string>{"bache", "hoyo", "pothole"}));
  EXPECT_EQ(bache.agency_code, "sobse");
  EXPECT_DOUBLE_EQ(bache.sla_hours, 72.5);
  EXPECT_EQ(bache.order, 10);
  EXPECT_TRUE(bache.active);
  EXPECT_TRUE(bache.attributes.empty());
  const Service& fuga = (*services)[1];
  EXPECT_EQ(fuga.description.es, "Primera línea\nsegunda línea");  // CRLF kept as LF
  EXPECT_EQ(fuga.description.en, "");
  EXPECT_EQ(fuga.type, ServiceType::kBatch);
  EXPECT_EQ(fuga.order, -3);
  EXPECT_FALSE(fuga.active);
}

TEST(CatalogCsvTest, ColumnsInAnyOrderSomeLeftOutLfAndNoFinalNewline) {
  auto services = parse_catalog_csv(
      "agency_code,code,name_es\n"
      "sobse,bache,Bache\n"
      "\n"
      "sacmex,fuga,\"Fuga\"");
  ASSERT_TRUE(services) << services.error().detail;
  ASSERT_EQ(services->size(), 2u);
  EXPECT_EQ((*services)[1].code, "fuga");
  EXPECT_EQ((*services)[1].name.es, "Fuga");
  EXPECT_EQ((*services)[1].agency_code, "sacmex");
  EXPECT_EQ((*services)[1].type, ServiceType::kRealtime);
  EXPECT_TRUE((*services)[1].active);
}

TEST(CatalogCsvTest, SpreadsheetByteOrderMarkIsSkipped) {
  auto services = parse_catalog_csv(
      "\xEF\xBB\xBF"
      "code,name_es,agency_code\r\nbache,Bache,sobse\r\n");
  ASSERT_TRUE(services) << services.error().detail;
  EXPECT_EQ(services->front().code, "bache");
}

TEST(CatalogCsvTest, HeaderOnlyIsAnEmptyCatalog) {
  auto services = parse_catalog_csv("code,name_es,agency_code\n");
  ASSERT_TRUE(services);
  EXPECT_TRUE(services->empty());
}

TEST(CatalogCsvTest, FormulaLikeCellsAreJustText) {
  auto services = parse_catalog_csv(
      "code,name_es,name_en,description_es,agency_code\n"
      "bache,=HYPERLINK(\"\"http://evil\"\"),+1,\"=1+2\",sobse\n"
      "luz,@SUM(A1:A9),-2,=cmd|' /C calc'!A0,sobse\n");
  ASSERT_FALSE(services) << "quote inside an unquoted field";
  services = parse_catalog_csv(
      "code,name_es,name_en,description_es,agency_code\n"
      "bache,\"=HYPERLINK(\"\"http://evil\"\")\",+1,\"=1+2\",sobse\n"
      "luz,@SUM(A1:A9),-2,=cmd|' /C calc'!A0,sobse\n");
  ASSERT_TRUE(services) << services.error().detail;
  EXPECT_EQ((*services)[0].name.es, "=HYPERLINK(\"http://evil\")");
  EXPECT_EQ((*services)[0].name.en, "+1");
  EXPECT_EQ((*services)[0].description.es, "=1+2");
  EXPECT_EQ((*services)[1].name.es, "@SUM(A1:A9)");
  EXPECT_EQ((*services)[1].description.es, "=cmd|' /C calc'!A0");
}

TEST(CatalogCsvTest, ActiveAcceptsSpanishAndEnglish) {
  auto services = parse_catalog_csv(
      "code,name_es,agency_code,active\n"
      "a,A,x,sí\nb,B,x,No\nc,C,x,1\nd,D,x,FALSE\ne,E,x,\n");
  ASSERT_TRUE(services) << services.error().detail;
  EXPECT_TRUE((*services)[0].active);
  EXPECT_FALSE((*services)[1].active);
  EXPECT_TRUE((*services)[2].active);
  EXPECT_FALSE((*services)[3].active);
  EXPECT_TRUE((*services)[4].active);
}

struct CsvCase {
  const char* name;
  std::string csv;
  std::string detail;
};

class CatalogCsvErrorTest : public ::testing::TestWithParam<CsvCase> {};

TEST_P(CatalogCsvErrorTest, NamesTheLineAndColumn) {
  EXPECT_EQ(detail_of(parse_catalog_csv(GetParam().csv)), GetParam().detail);
}

const std::string kRow = "bache,Bache,Pothole,,,Calles,Streets,bache,sobse,72,realtime,1,true\n";

INSTANTIATE_TEST_SUITE_P(
    Catalog, CatalogCsvErrorTest,
    ::testing::Values(
        CsvCase{"SlaNotANumber",
                std::string(kHeader) + "\n" + kRow +
                    "luz,Luz,Light,,,Calles,Streets,,sobse,setenta,realtime,2,true\n",
                "line 3, column sla_hours: not a number"},
        CsvCase{"SlaWithDecimalComma",
                std::string(kHeader) + "\n" +
                    "luz,Luz,Light,,,Calles,Streets,,sobse,\"72,5\",realtime,2,true\n",
                "line 2, column sla_hours: not a number"},
        CsvCase{"SlaOutOfRange",
                std::string(kHeader) + "\n" +
                    "luz,Luz,Light,,,Calles,Streets,,sobse,10001,realtime,2,true\n",
                "line 2, column sla_hours: must be a number from 0 to 10000"},
        CsvCase{"SlaInfinite",
                std::string(kHeader) + "\n" +
                    "luz,Luz,Light,,,Calles,Streets,,sobse,inf,realtime,2,true\n",
                "line 2, column sla_hours: must be a number from 0 to 10000"},
        CsvCase{"LineNumbersCountBreaksInsideQuotes",
                std::string(kHeader) + "\n" +
                    "luz,Luz,Light,\"uno\ndos\ntres\",,Calles,Streets,,sobse,1,realtime,2,true\n" +
                    "fuga,Fuga,Leak,,,Agua,Water,,sacmex,1,sometimes,3,true\n",
                "line 5, column type: unknown type 'sometimes' (realtime, batch, blackbox)"},
        CsvCase{"OrderNotInteger", "code,name_es,agency_code,order\nbache,Bache,sobse,1.5\n",
                "line 2, column order: not an integer"},
        CsvCase{"ActiveUnknown", "code,name_es,agency_code,active\nbache,Bache,sobse,maybe\n",
                "line 2, column active: not true or false"},
        CsvCase{"SpanishNameMissing", "code,name_es,agency_code\nbache, ,sobse\n",
                "line 2, column name_es: required"},
        CsvCase{"CodeInvalid", "code,name_es,agency_code\nbache 1,Bache,sobse\n",
                "line 2, column code: 'bache 1' must be 1-64 of A-Z a-z 0-9 _ -"},
        CsvCase{"DuplicateCode",
                "code,name_es,agency_code\nbache,Bache,sobse\nluz,Luz,sobse\nbache,Otro,sobse\n",
                "line 4, column code: repeated (first at line 2)"},
        CsvCase{"TooFewFields", "code,name_es,agency_code\nbache,Bache\n",
                "line 2: 2 fields, the header has 3"},
        CsvCase{"TooManyFields", "code,name_es,agency_code\nbache,Bache,sobse,extra\n",
                "line 2: 4 fields, the header has 3"},
        CsvCase{"UnknownColumn", "code,name_es,agency_code,sla_hour\n",
                "line 1: unknown column 'sla_hour'"},
        CsvCase{"RepeatedColumn", "code,name_es,agency_code,code\n",
                "line 1: column code repeated"},
        CsvCase{"MissingColumn", "code,name_en,agency_code\n", "line 1: column name_es missing"},
        CsvCase{"Empty", "", "line 1: a header row is required"},
        CsvCase{"QuoteNeverClosed", "code,name_es,agency_code\nbache,\"Bache,sobse\n",
                "line 2: quoted field never closed"},
        CsvCase{"QuoteInsideUnquotedField", "code,name_es,agency_code\nbache,Ba\"che,sobse\n",
                "line 2, field 2: quote inside an unquoted field"},
        CsvCase{"TextAfterClosingQuote", "code,name_es,agency_code\nbache,\"Bache\"x,sobse\n",
                "line 2, field 2: text after a closing quote"},
        CsvCase{"BareCarriageReturn", "code,name_es,agency_code\rbache,Bache,sobse\r",
                "line 1: carriage return without a line feed"},
        CsvCase{"InvalidUtf8",
                "code,name_es,agency_code\nbache,Ba\xFF"
                "che,sobse\n",
                "line 2, column 9: not valid UTF-8"},
        CsvCase{"OverlongUtf8", "code,name_es,agency_code\nbache,\xC0\xAF,sobse\n",
                "line 2, column 7: not valid UTF-8"},
        CsvCase{"ControlCharacter", "code,name_es,agency_code\nbache,Ba\x1B[2Jche,sobse\n",
                "line 2, column name_es: contains a control character"},
        CsvCase{"KeywordsTooMany",
                "code,name_es,agency_code,keywords\nbache,Bache,sobse,\"" +
                    [] {
                      std::string k;
                      for (int i = 0; i < 51; ++i) k += "k" + std::to_string(i) + ",";
                      return k;
                    }() +
                    "\"\n",
                "line 2, column keywords: more than 50"}),
    [](const ::testing::TestParamInfo<CsvCase>& info) { return info.param.name; });

TEST(CatalogCsvTest, AtMostTwoThousandServices) {
  std::string csv = "code,name_es,agency_code\n";
  for (std::size_t i = 0; i < kCatalogMaxServices; ++i) {
    csv += "s" + std::to_string(i) + ",S,x\n";
  }
  EXPECT_TRUE(parse_catalog_csv(csv));
  csv += "one-more,S,x\n";
  EXPECT_EQ(detail_of(parse_catalog_csv(csv)), "more than 2000 services");
}

TEST(CatalogCsvTest, FileOverFiveMebibytesIsTooLarge) {
  const std::string big = "code,name_es,agency_code\n" + std::string(kCatalogMaxBytes, '\n');
  auto result = parse_catalog_csv(big);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace zocalo::requests
