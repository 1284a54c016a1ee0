@loop.set_task_factory @since:3.4.4
Feature: loop.set_task_factory()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_task_factory

  Background:
    Given a new event loop
    And coroutine C returns "done"
    And callback F makes an asyncio.Task of the coroutine it is given

  @param:factory
  Rule: "Set a task factory that will be used by loop.create_task()."

    Example: create_task returns what the factory made
      Given callback F is the loop's task factory
      When loop.create_task() is called with coroutine C
      Then it returns the task callback F made

  @param:factory
  Rule: "If factory is None the default task factory will be set."

    Example: after None the factory is no longer called
      Given callback F is the loop's task factory
      And the loop's task factory is set to None
      When loop.create_task() is called with coroutine C
      Then it returns an asyncio.Task
      And callback F has not run

  Rule: "Otherwise, factory must be a callable with the signature matching (loop, coro), where loop is a reference to the active event loop, and coro is a coroutine object."

    Example: the factory is called with the loop and the coroutine
      Given callback F is the loop's task factory
      When loop.create_task() is called with coroutine C
      Then callback F was called with the loop and a coroutine
