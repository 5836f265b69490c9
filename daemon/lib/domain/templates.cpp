#include "domain/templates.hpp"

#include <algorithm>

#include "domain/curriculum.hpp"
#include "domain/errors.hpp"
#include "storage/store.hpp"

namespace nestbox::domain {
namespace {

const Framework& settingFramework(SettingsService& settings) {
  const auto setting = settings.current();
  return framework(setting ? setting->framework : "eyfs");
}

}  // namespace

std::vector<storage::TemplateRecord> TemplateService::list(const Principal& p) {
  children_.requireStaff(p);
  const auto& fw = settingFramework(settings_);
  auto out = store_.templates();
  for (auto& t : out) std::erase_if(t.aspectIds, [&](const std::string& a) { return !fw.hasAspect(a); });
  return out;
}

void TemplateService::validate(const storage::TemplateRecord& t) {
  if (t.name.empty()) throw invalid("name", "Give the template a name, e.g. “WOW moment”.");
  if (t.kind != "observation" && t.kind != "snapshot") throw invalid("kind", "Choose observation or snapshot.");
  if (t.kind == "snapshot" && !t.aspectIds.empty()) {
    throw invalid("aspect_ids", "Daily snapshots are not linked to the curriculum.");
  }
  const auto& fw = settingFramework(settings_);
  for (const auto& a : t.aspectIds) {
    if (!fw.hasAspect(a)) throw invalid("aspect_ids", "'" + a + "' is not part of the setting's curriculum.");
  }
}

storage::TemplateRecord TemplateService::save(const Principal& p, storage::TemplateRecord t, bool fresh) {
  std::sort(t.aspectIds.begin(), t.aspectIds.end());
  t.aspectIds.erase(std::unique(t.aspectIds.begin(), t.aspectIds.end()), t.aspectIds.end());
  validate(t);
  t.updatedAt = ctx_.clock.now();
  t.updatedBy = p.userId;
  try {
    ctx_.store.transaction([&] {
      if (fresh) store_.insertTemplate(t);
      else store_.updateTemplate(t);
      ctx_.audit.record(Event::TemplateSaved, AuditActor::of(p), AuditTarget{"template", t.id},
                        {{"name", t.name}, {"new", fresh}});
    });
  } catch (const storage::DuplicateError&) {
    throw DomainError(ErrorKind::conflict, "name_taken", "There is already a template with that name: choose another.", "name");
  }
  return t;
}

storage::TemplateRecord TemplateService::create(const Principal& p, const TemplateInput& in) {
  children_.requireManager(p);
  storage::TemplateRecord t;
  t.id = newId(ctx_.random);
  t.name = in.name.value_or("");
  t.kind = in.kind.value_or("observation");
  t.title = in.title.value_or("");
  t.body = in.body.value_or("");
  t.nextSteps = in.nextSteps.value_or("");
  t.aspectIds = in.aspectIds.value_or(std::vector<std::string>{});
  return save(p, std::move(t), true);
}

storage::TemplateRecord TemplateService::update(const Principal& p, const std::string& id, const TemplateInput& in) {
  children_.requireManager(p);
  auto t = store_.entryTemplate(id);
  if (!t) throw DomainError(ErrorKind::notFound, "not_found", "There is no such template.");
  if (in.name) t->name = *in.name;
  if (in.kind) t->kind = *in.kind;
  if (in.title) t->title = *in.title;
  if (in.body) t->body = *in.body;
  if (in.nextSteps) t->nextSteps = *in.nextSteps;
  if (in.aspectIds) t->aspectIds = *in.aspectIds;
  return save(p, std::move(*t), false);
}

void TemplateService::remove(const Principal& p, const std::string& id) {
  children_.requireManager(p);
  const auto t = store_.entryTemplate(id);
  if (!t) throw DomainError(ErrorKind::notFound, "not_found", "There is no such template.");
  ctx_.store.transaction([&] {
    store_.deleteTemplate(id);
    ctx_.audit.record(Event::TemplateDeleted, AuditActor::of(p), AuditTarget{"template", id}, {{"name", t->name}});
  });
}

}  // namespace nestbox::domain
