#include "sensor/dissect/dicom/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sensor/dissect/dicom/dicom_test_util.h"
#include "sensor/dissect/dicom/names.h"
#include "testing/fixtures.h"

namespace vigil::sensor::dicom {
namespace {

using ::testing::ElementsAre;
using namespace test;

constexpr std::string_view kCt = "1.2.840.10008.5.1.4.1.1.2";
constexpr std::string_view kImplicit = "1.2.840.10008.1.2";
constexpr std::string_view kExplicit = "1.2.840.10008.1.2.1";

Bytes CtRequest() {
  return AssociationPdu(
      0x01, "PACS_MAIN", "CT_SCANNER_3",
      {Item(0x10, "1.2.840.10008.3.1.1.1"),
       RequestContext(1, kCt, {std::string(kExplicit), std::string(kImplicit)}),
       RequestContext(3, std::string(kVerificationSopClass) + '\0', {std::string(kImplicit)}),
       UserInformation(16384, "1.2.3.4.5", "VENDOR_CT_9")});
}

TEST(ParseAssociation, ReadsRequestTitlesWithoutPadding) {
  const auto request = ParseAssociation(CtRequest());

  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->type, PduType::kAssociateRequest);
  EXPECT_EQ(request->protocol_version, 1);
  EXPECT_EQ(request->called_ae, "PACS_MAIN");
  EXPECT_EQ(request->calling_ae, "CT_SCANNER_3");
  EXPECT_EQ(request->application_context, "1.2.840.10008.3.1.1.1");
}

TEST(ParseAssociation, ReadsPresentationContextsAndUserInformation) {
  const auto request = ParseAssociation(CtRequest());

  ASSERT_TRUE(request);
  ASSERT_EQ(request->presentation_contexts.size(), 2u);
  EXPECT_EQ(request->presentation_contexts[0].id, 1);
  EXPECT_EQ(request->presentation_contexts[0].abstract_syntax, kCt);
  EXPECT_THAT(request->presentation_contexts[0].transfer_syntaxes,
              ElementsAre(kExplicit, kImplicit));
  EXPECT_EQ(request->presentation_contexts[1].abstract_syntax, kVerificationSopClass)
      << "NUL padding is removed";
  EXPECT_EQ(request->max_pdu_length, 16384u);
  EXPECT_EQ(request->implementation_class_uid, "1.2.3.4.5");
  EXPECT_EQ(request->implementation_version, "VENDOR_CT_9");
}

TEST(ParseAssociation, ReadsAcceptContextResults) {
  const auto accept = ParseAssociation(
      AssociationPdu(0x02, "PACS_MAIN", "CT_SCANNER_3",
                     {AcceptContext(1, 0, kExplicit), AcceptContext(3, 3, kImplicit)}));

  ASSERT_TRUE(accept) << accept.error().message;
  EXPECT_EQ(accept->type, PduType::kAssociateAccept);
  ASSERT_EQ(accept->presentation_contexts.size(), 2u);
  EXPECT_EQ(accept->presentation_contexts[0].result, 0);
  EXPECT_THAT(accept->presentation_contexts[0].transfer_syntaxes, ElementsAre(kExplicit));
  EXPECT_EQ(accept->presentation_contexts[1].result, 3);
}

TEST(ParseAssociation, BoundsContextsAndTransferSyntaxes) {
  std::vector<Bytes> items;
  const std::vector<std::string> many(40, std::string(kImplicit));
  for (int i = 0; i < 300; ++i) {
    items.push_back(RequestContext(static_cast<std::uint8_t>(i), kCt,
                                   i == 0 ? many : std::vector<std::string>{}));
  }

  const auto request = ParseAssociation(AssociationPdu(0x01, "A", "B", items));

  ASSERT_TRUE(request);
  EXPECT_EQ(request->presentation_contexts.size(), kMaxPresentationContexts);
  EXPECT_EQ(request->presentation_contexts[0].transfer_syntaxes.size(), kMaxTransferSyntaxes);
}

TEST(ParseAssociation, ItemPastItsParentEndsTheList) {
  Bytes pdu = CtRequest();
  pdu.push_back(0x50);
  pdu.push_back(0);
  pdu.push_back(0xFF);
  pdu.push_back(0xFF);
  pdu[5] = static_cast<std::uint8_t>(pdu[5] + 4);  // Length covers the cut item header.

  const auto request = ParseAssociation(pdu);

  ASSERT_TRUE(request);
  EXPECT_EQ(request->presentation_contexts.size(), 2u);
  EXPECT_EQ(request->implementation_version, "VENDOR_CT_9");
}

TEST(ParseAssociation, RejectsTruncatedAndWrongPdus) {
  const Bytes pdu = CtRequest();

  EXPECT_FALSE(ParseAssociation(std::span(pdu).first(5)));
  EXPECT_FALSE(ParseAssociation(std::span(pdu).first(pdu.size() - 1)));
  EXPECT_FALSE(ParseAssociation(Pdu(0x01, Bytes(20, 0))));
  EXPECT_FALSE(ParseAssociation(Pdu(0x04, Bytes(80, 0))));
}

TEST(ParseReject, ReadsResultSourceReason) {
  const auto reject = ParseReject(Pdu(0x03, {0, 1, 1, 7}));

  ASSERT_TRUE(reject);
  EXPECT_EQ(RejectResultName(reject->result), "rejected-permanent");
  EXPECT_EQ(RejectSourceName(reject->source), "dicom-ul-service-user");
  EXPECT_EQ(RejectReasonName(reject->source, reject->reason), "called-ae-title-not-recognized");
  EXPECT_FALSE(ParseReject(Pdu(0x03, {0, 1})));
}

TEST(ParseAbort, ReadsSourceAndReason) {
  const auto abort = ParseAbort(Pdu(0x07, {0, 0, 2, 2}));

  ASSERT_TRUE(abort);
  EXPECT_EQ(AbortSourceName(abort->source), "dicom-ul-service-provider");
  EXPECT_EQ(AbortReasonName(abort->source, abort->reason), "unexpected-pdu");
  EXPECT_FALSE(ParseAbort(Pdu(0x03, {0, 0, 2, 2})));
}

TEST(ReadPduHeader, ReadsTypeAndLength) {
  const Bytes bytes = {0x04, 0, 0x00, 0x01, 0x00, 0x02};

  const auto header = ReadPduHeader(bytes);

  ASSERT_TRUE(header);
  EXPECT_EQ(header->type, PduType::kData);
  EXPECT_EQ(header->length, 65538u);
  EXPECT_FALSE(ReadPduHeader(Bytes{0x08, 0, 0, 0, 0, 0}));
  EXPECT_FALSE(ReadPduHeader(Bytes{0x01, 0, 0, 0, 0}));
}

TEST(Names, MapsCommonSopClasses) {
  EXPECT_EQ(SopClassName("1.2.840.10008.5.1.4.1.1.4"), "MR Image Storage");
  EXPECT_EQ(SopClassName(kVerificationSopClass), "Verification");
  EXPECT_EQ(SopClassName("1.2.840.10008.5.1.4.1.2.2.1"), "Study Root Query/Retrieve - FIND");
  EXPECT_EQ(SopClassName("1.2.3"), "");
  EXPECT_TRUE(IsStorageSopClass("1.2.840.10008.5.1.4.1.1.999"));
  EXPECT_FALSE(IsStorageSopClass(kVerificationSopClass));
  EXPECT_EQ(TransferSyntaxName(kExplicit), "Explicit VR Little Endian");
}

// The echoscu request captured on loopback (testdata/echo_client.bin), checked against what
// tshark decodes from the same capture (dicom.assoc.ae.calling and so on).
TEST(ParseAssociation, ReadsDcmtkEchoRequest) {
  const std::string client = testing::ReadFileOrEmpty(
      testing::SourceDir() / "src/sensor/dissect/dicom/testdata/echo_client.bin");
  ASSERT_GT(client.size(), 6u);
  const std::span bytes(reinterpret_cast<const std::uint8_t*>(client.data()), client.size());
  const auto header = ReadPduHeader(bytes);
  ASSERT_TRUE(header);

  const auto request = ParseAssociation(bytes.first(6 + header->length));

  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->calling_ae, "CT_SCANNER_3");
  EXPECT_EQ(request->called_ae, "PACS_MAIN");
  ASSERT_EQ(request->presentation_contexts.size(), 1u);
  EXPECT_EQ(request->presentation_contexts[0].abstract_syntax, kVerificationSopClass);
  EXPECT_EQ(request->implementation_class_uid, "1.2.276.0.7230010.3.0.3.6.7");
  EXPECT_EQ(request->implementation_version, "OFFIS_DCMTK_367");
  EXPECT_EQ(request->max_pdu_length, 16384u);
}

}  // namespace
}  // namespace vigil::sensor::dicom
