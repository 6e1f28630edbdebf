/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for awsini (AWS shared credentials/config files).
 *
 * Corner cases: comments and blank lines; "[profile x]" vs "[x]" in the
 * config file; "[default]" in both; nested "[services]" sub-keys; a later
 * duplicate winning; blanks around '='; a key before any section; an
 * unterminated header; a value containing '='.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/awsini.h"

static const char creds[] = "# comment\n"
                            "[default]\n"
                            "aws_access_key_id = AKIDDEFAULT\n"
                            "aws_secret_access_key=c2VjcmV0=\n"
                            "\n"
                            "; other comment\n"
                            "[shim]\n"
                            "aws_access_key_id = AKIDSHIM\n"
                            "aws_secret_access_key = s2\n"
                            "aws_session_token = tok\n"
                            "aws_access_key_id = AKIDSHIM2\n";

static const char config[] = "[default]\n"
                             "region = us-west-2\n"
                             "[profile shim]\n"
                             "region = eu-west-1\n"
                             "services = local\n"
                             "[services local]\n"
                             "route_53 =\n"
                             "  endpoint_url = http://127.0.0.1:18081\n"
                             "ec2 =\n"
                             "\tendpoint_url = http://127.0.0.1:18083\n"
                             "other = x\n";

static void
test_credentials(void **state)
{
	struct awsini *ini = NULL;
	struct errbuf err = {{0}};

	(void)state;
	assert_int_equal(
	    awsini_parse("credentials", creds, strlen(creds), &ini, &err), 0);
	assert_string_equal(awsini_profile_get(ini, false, "default",
	                        "aws_access_key_id", NULL),
	    "AKIDDEFAULT");
	assert_string_equal(awsini_profile_get(ini, false, "default",
	                        "aws_secret_access_key", NULL),
	    "c2VjcmV0=");
	assert_string_equal(
	    awsini_profile_get(ini, false, "shim", "aws_access_key_id", NULL),
	    "AKIDSHIM2");
	assert_string_equal(
	    awsini_profile_get(ini, false, "shim", "aws_session_token", NULL),
	    "tok");
	assert_null(
	    awsini_profile_get(ini, false, "nope", "aws_access_key_id", NULL));
	assert_true(awsini_has_profile(ini, false, "shim"));
	assert_false(awsini_has_profile(ini, false, "nope"));
	awsini_free(ini);
}

static void
test_config_profiles_services(void **state)
{
	struct awsini *ini = NULL;
	struct errbuf err = {{0}};

	(void)state;
	assert_int_equal(
	    awsini_parse("config", config, strlen(config), &ini, &err), 0);
	assert_string_equal(
	    awsini_profile_get(ini, true, "default", "region", NULL),
	    "us-west-2");
	assert_string_equal(
	    awsini_profile_get(ini, true, "shim", "region", NULL), "eu-west-1");
	assert_string_equal(
	    awsini_profile_get(ini, true, "shim", "services", NULL), "local");
	assert_string_equal(
	    awsini_get(ini, "services local", "route_53", "endpoint_url"),
	    "http://127.0.0.1:18081");
	assert_string_equal(
	    awsini_get(ini, "services local", "ec2", "endpoint_url"),
	    "http://127.0.0.1:18083");
	assert_string_equal(
	    awsini_get(ini, "services local", "route_53", NULL), "");
	assert_string_equal(
	    awsini_get(ini, "services local", "other", NULL), "x");
	assert_null(awsini_get(ini, "services local", "other", "endpoint_url"));
	assert_true(awsini_has_profile(ini, true, "shim"));
	awsini_free(ini);
}

static void
test_syntax_errors(void **state)
{
	struct awsini *ini = NULL;
	struct errbuf err = {{0}};

	(void)state;
	assert_int_equal(awsini_parse("f", "key = v\n", 8, &ini, &err), -1);
	assert_string_equal(err.msg, "f:1: key outside any [section]");
	assert_int_equal(awsini_parse("f", "[a]\n[b\n", 7, &ini, &err), -1);
	assert_string_equal(err.msg, "f:2: unterminated section header");
	assert_int_equal(
	    awsini_parse("f", "[a]\nnovalue\n", 12, &ini, &err), -1);
	assert_string_equal(err.msg, "f:2: expected 'key = value'");
	assert_int_equal(awsini_parse("f", "", 0, &ini, &err), 0);
	assert_null(awsini_get(ini, "a", "b", NULL));
	awsini_free(ini);
	awsini_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_credentials),
	    cmocka_unit_test(test_config_profiles_services),
	    cmocka_unit_test(test_syntax_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
