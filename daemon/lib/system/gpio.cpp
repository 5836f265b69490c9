#include "system/gpio.hpp"

#include <gpiod.h>

#include <cctype>
#include <stdexcept>

namespace nestbox::system {

std::optional<GpioLineSpec> parseGpioLine(const std::string& text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    for (const char c : text) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return std::nullopt;
    }
    return GpioLineSpec{{}, 0, text};
  }
  const std::string chip = text.substr(0, colon), number = text.substr(colon + 1);
  if (chip.empty() || number.empty() || number.size() > 4 ||
      number.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return GpioLineSpec{chip, static_cast<unsigned>(std::stoul(number)), {}};
}

namespace {

// One requested line of one chip; released with the object.
class GpiodLine {
 public:
  explicit GpiodLine(const std::string& text) {
    const auto n = parseGpioLine(text);
    if (!n) throw std::runtime_error("GPIO line '" + text + "' must be CHIP:OFFSET (gpiochip0:17) or a line name (GPIO17)");
    if (!n->name.empty()) {
      // Found on whichever chip has it; that chip is opened for us (closed with the line).
      line_ = gpiod_line_find(n->name.c_str());
      if (!line_) throw std::runtime_error("no GPIO line named " + n->name + " (gpioinfo lists the names)");
      chip_ = gpiod_line_get_chip(line_);
      return;
    }
    chip_ = gpiod_chip_open_lookup(n->chip.c_str());
    if (!chip_) throw std::runtime_error("no GPIO chip " + n->chip);
    line_ = gpiod_chip_get_line(chip_, n->offset);
    if (!line_) {
      gpiod_chip_close(chip_);
      throw std::runtime_error("no line " + std::to_string(n->offset) + " on " + n->chip);
    }
  }
  ~GpiodLine() {
    gpiod_line_release(line_);
    gpiod_chip_close(chip_);
  }
  GpiodLine(const GpiodLine&) = delete;
  GpiodLine& operator=(const GpiodLine&) = delete;
  gpiod_line* line() { return line_; }

 private:
  gpiod_chip* chip_ = nullptr;
  gpiod_line* line_ = nullptr;
};

class GpiodInput final : public InputLine {
 public:
  GpiodInput(const std::string& name, bool activeLow, const std::string& consumer) : line_(name) {
    const int flags = activeLow ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW | GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP : 0;
    if (gpiod_line_request_input_flags(line_.line(), consumer.c_str(), flags) < 0) {
      throw std::runtime_error("cannot request GPIO line " + name + " as input");
    }
  }
  bool active() override { return gpiod_line_get_value(line_.line()) == 1; }

 private:
  GpiodLine line_;
};

class GpiodOutput final : public OutputLine {
 public:
  GpiodOutput(const std::string& name, const std::string& consumer) : line_(name) {
    if (gpiod_line_request_output(line_.line(), consumer.c_str(), 0) < 0) {
      throw std::runtime_error("cannot request GPIO line " + name + " as output");
    }
  }
  void set(bool on) override { gpiod_line_set_value(line_.line(), on ? 1 : 0); }

 private:
  GpiodLine line_;
};

}  // namespace

std::unique_ptr<InputLine> openGpioInput(const std::string& line, bool activeLow, const std::string& consumer) {
  return std::make_unique<GpiodInput>(line, activeLow, consumer);
}

std::unique_ptr<OutputLine> openGpioOutput(const std::string& line, const std::string& consumer) {
  return std::make_unique<GpiodOutput>(line, consumer);
}

bool LongPress::sample(bool active, int64_t nowMs) {
  if (active != raw_) {
    raw_ = active;
    rawSince_ = nowMs;
  }
  if (raw_ != pressed_ && nowMs - rawSince_ >= debounceMs_) {
    pressed_ = raw_;
    pressedSince_ = rawSince_;
    if (!pressed_) fired_ = false;  // released: the next press may fire
  }
  if (pressed_ && !fired_ && nowMs - pressedSince_ >= holdMs_) {
    fired_ = true;
    return true;
  }
  return false;
}

}  // namespace nestbox::system
