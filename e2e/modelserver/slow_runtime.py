"""An MLServer runtime that answers like the scikit-learn one, only slower.

It stands for a candidate that is accurate but too slow for production, so the stress gate
has something real to fail. The delay comes from the model settings' extra parameters
(`delay_seconds`).
"""

import asyncio

from mlserver.types import InferenceRequest, InferenceResponse
from mlserver_sklearn import SKLearnModel


class SlowSKLearnModel(SKLearnModel):
    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        extra = (self.settings.parameters.extra or {}) if self.settings.parameters else {}
        await asyncio.sleep(float(extra.get("delay_seconds", 0.2)))
        return await super().predict(payload)
