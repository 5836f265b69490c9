#include "system/gpio.hpp"

#include <gpiod.h>

#include <stdexcept>

namespace nestbox::system {
namespace {

struct LineName {
  std::string chip;
  unsigned offset = 0;
};

LineName parseLine(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::runtime_error("GPIO line '" + text + "' must be CHIP:OFFSET, e.g. gpiochip0:17");
  }
  try {
    return {text.substr(0, colon), static_cast<unsigned>(std::stoul(text.substr(colon + 1)))};
  } catch (const std::exception&) {
    throw std::runtime_error("GPIO line '" + text + "' has no number after the colon");
  }
}

// One requested line of one chip; released with the object.
class GpiodLine {
 public:
  explicit GpiodLine(const std::string& name) {
    const auto n = parseLine(name);
    chip_ = gpiod_chip_open_lookup(n.chip.c_str());
    if (!chip_) throw std::runtime_error("no GPIO chip " + n.chip);
    line_ = gpiod_chip_get_line(chip_, n.offset);
    if (!line_) {
      gpiod_chip_close(chip_);
      throw std::runtime_error("no line " + std::to_string(n.offset) + " on " + n.chip);
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
