// peer.h: what every C++ greeter here needs besides gRPC: `--flag value`
// command-line flags with defaults (as the Python programs' argparse), and the
// tutorial's HH:MM:SS.ffffff timestamps.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>

class Flags {
 public:
  Flags(int argc, char** argv) {
    for (int i = 1; i < argc; i += 2) {
      std::string key = argv[i];
      if (key.rfind("--", 0) != 0 || i + 1 >= argc) {
        std::fprintf(stderr, "usage: %s [--flag value]...\n", argv[0]);
        std::exit(2);
      }
      values_[key.substr(2)] = argv[i + 1];
    }
  }
  std::string get(const std::string& name, const std::string& fallback) const {
    auto found = values_.find(name);
    return found == values_.end() ? fallback : found->second;
  }

 private:
  std::map<std::string, std::string> values_;
};

// Local time as HH:MM:SS.ffffff, like Python's datetime.now().strftime('%T.%f').
inline std::string Now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm local;
  localtime_r(&seconds, &local);
  char text[32];
  std::size_t length = std::strftime(text, sizeof text, "%T", &local);
  std::snprintf(text + length, sizeof text - length, ".%06lld", static_cast<long long>(micros));
  return text;
}

// Seconds given as text ("0.3") as a duration.
inline std::chrono::microseconds Seconds(const std::string& text) {
  return std::chrono::microseconds(static_cast<long long>(std::atof(text.c_str()) * 1e6));
}
