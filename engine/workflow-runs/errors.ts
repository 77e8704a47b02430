import { AttuneError } from '../errors/index.ts';

/** Another write advanced the workflow first: the event is handled again from the stored state. */
export class WorkflowRunConflict extends AttuneError {
  override name = 'WorkflowRunConflict';

  constructor(id: string, version: number) {
    super(`workflow ${id} changed since version ${version} was read`, { code: 'workflow_conflict', status: 409 });
  }
}

/** The conductor's state outgrew what one item holds: the workflow fails with this error. */
export class WorkflowStateTooLarge extends AttuneError {
  override name = 'WorkflowStateTooLarge';

  constructor(id: string, bytes: number) {
    super(`the state of workflow ${id} is ${bytes} bytes, more than a workflow may keep (380 KiB): publish less of the task results`, {
      code: 'workflow_state_too_large',
      status: 413,
    });
  }
}

/** A workflow action whose definition is missing from its registry record (registered before workflows). */
export class WorkflowDefinitionMissing extends AttuneError {
  override name = 'WorkflowDefinitionMissing';

  constructor(action: string) {
    super(`action ${action} has no workflow definition stored: register its pack again`, { code: 'workflow_definition_missing', status: 409, field: 'action' });
  }
}
