-- Argo CD health check for modelgate.io/ModelVersion (resource.customizations.health
-- .modelgate.io_ModelVersion in argocd-cm). A ModelVersion is Healthy once its CI gates
-- passed for the spec as it is now, Degraded when a gate failed or could not run, and
-- Progressing while the operator validates it or has not yet seen its latest spec.
local hs = {}

local function condition(status, kind)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the modelgate operator to pick up this ModelVersion"
  return hs
end

-- A status written for an older spec says nothing about this one.
local generation = obj.metadata ~= nil and obj.metadata.generation or nil
if generation ~= nil and (status.observedGeneration == nil or
    tonumber(status.observedGeneration) < tonumber(generation)) then
  hs.status = "Progressing"
  hs.message = "Waiting for the modelgate operator to validate generation " .. tostring(generation)
  return hs
end

local ready = condition(status, "Ready")
local detail = ""
if ready ~= nil and ready.message ~= nil and ready.message ~= "" then
  detail = ": " .. ready.message
end

local phase = status.phase
if phase == "Passed" then
  hs.status = "Healthy"
  hs.message = "Passed" .. detail
elseif phase == "Failed" or phase == "Error" then
  hs.status = "Degraded"
  hs.message = phase .. detail
elseif phase == nil or phase == "Pending" or phase == "Validating" then
  hs.status = "Progressing"
  hs.message = (phase or "Pending") .. detail
else
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase) .. detail
end
return hs
