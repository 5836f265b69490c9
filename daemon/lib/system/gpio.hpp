#pragma once
// GPIO lines for the box's physical button and status LED (issue 7), behind small interfaces
// so tests use fakes (there is no GPIO chip off the Pi). The real ones use libgpiod (v1 API).
// A line is given as "CHIP:OFFSET" (e.g. "gpiochip0:17") or by the name the device tree
// gives it (e.g. "GPIO17", found with libgpiod on any chip): the Pi 5 moved the 40-pin header
// to another chip, and the names stay where the chip numbers do not.

#include <memory>
#include <optional>
#include <string>

namespace nestbox::system {

class InputLine {
 public:
  virtual ~InputLine() = default;
  virtual bool active() = 0;  // pressed, for a button (active-low wiring handled when opened)
};

class OutputLine {
 public:
  virtual ~OutputLine() = default;
  virtual void set(bool on) = 0;
};

struct GpioLineSpec {
  std::string chip;                // "gpiochip0"; empty when found by name
  unsigned offset = 0;
  std::string name;                // "GPIO17"; empty when given as CHIP:OFFSET
  bool operator==(const GpioLineSpec&) const = default;
};
// Reads "CHIP:OFFSET" or a line name (letters, digits, '_' and '-'); nothing for anything else.
std::optional<GpioLineSpec> parseGpioLine(const std::string& text);

// Throw std::runtime_error naming the line when it cannot be had.
std::unique_ptr<InputLine> openGpioInput(const std::string& line, bool activeLow, const std::string& consumer);
std::unique_ptr<OutputLine> openGpioOutput(const std::string& line, const std::string& consumer);

// Recognises a deliberate long press in raw samples: the line must read the same for
// `debounceMs` before a change counts, and a press held `holdMs` fires once; the next press
// needs a release first.
class LongPress {
 public:
  LongPress(int64_t debounceMs, int64_t holdMs) : debounceMs_(debounceMs), holdMs_(holdMs) {}
  // Feeds one sample taken at `nowMs`; true exactly once per qualifying press.
  bool sample(bool active, int64_t nowMs);

 private:
  int64_t debounceMs_, holdMs_;
  bool raw_ = false;
  int64_t rawSince_ = 0;
  bool pressed_ = false;  // the debounced state
  int64_t pressedSince_ = 0;
  bool fired_ = false;
};

}  // namespace nestbox::system
