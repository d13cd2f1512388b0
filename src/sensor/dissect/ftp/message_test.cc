#include "sensor/dissect/ftp/message.h"

#include <gtest/gtest.h>

namespace vigil::sensor::ftp {
namespace {

TEST(ParseCommand, KnowsLoginAndAuthCommandsInAnyCase) {
  EXPECT_EQ(ParseCommand("USER anonymous"), Command::kUser);
  EXPECT_EQ(ParseCommand("user biomed"), Command::kUser);
  EXPECT_EQ(ParseCommand("PASS secret"), Command::kPass);
  EXPECT_EQ(ParseCommand("PASS"), Command::kPass);
  EXPECT_EQ(ParseCommand("AUTH TLS"), Command::kAuthTls);
  EXPECT_EQ(ParseCommand("auth ssl"), Command::kAuthTls);
  EXPECT_EQ(ParseCommand("USERS"), Command::kOther);
  EXPECT_EQ(ParseCommand("PASV"), Command::kOther);
  EXPECT_EQ(ParseCommand(""), Command::kOther);
}

TEST(ParseReply, ReadsCodeSeparatorAndText) {
  const auto last = ParseReply("220 (vsFTPd 3.0.3)");
  const auto more = ParseReply("230-Welcome");

  ASSERT_TRUE(last && more);
  EXPECT_EQ(last->code, 220);
  EXPECT_TRUE(last->last);
  EXPECT_EQ(last->text, "(vsFTPd 3.0.3)");
  EXPECT_EQ(more->code, 230);
  EXPECT_FALSE(more->last);
}

TEST(ParseReply, RefusesLinesThatAreNotReplies) {
  EXPECT_FALSE(ParseReply(" continuation of a multi-line reply"));
  EXPECT_FALSE(ParseReply("220"));
  EXPECT_FALSE(ParseReply("22x ok"));
  EXPECT_FALSE(ParseReply("620 no such class"));
  EXPECT_FALSE(ParseReply("220:"));
}

TEST(LooksLikeFtp, AcceptsGreetingsButNotSmtp) {
  EXPECT_TRUE(LooksLikeFtp("220 ProFTPD Server (Debian)\r\n"));
  EXPECT_TRUE(LooksLikeFtp("220-Welcome to the PACS export server\r\n220 ready\r\n"));
  EXPECT_TRUE(LooksLikeFtp("USER anonymous\r\n"));
  EXPECT_FALSE(LooksLikeFtp("220 mail.example.org ESMTP Postfix\r\n"));
  EXPECT_FALSE(LooksLikeFtp("200 OK\r\n"));
  EXPECT_FALSE(LooksLikeFtp("22"));
}

}  // namespace
}  // namespace vigil::sensor::ftp
