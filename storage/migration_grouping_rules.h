#pragma once
// v19 (#13): merge and split rules, in a file of its own so migrations.cpp
// stays readable.
namespace faultline {

extern const char *const kGroupingRulesMigration;

} // namespace faultline
